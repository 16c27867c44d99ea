/**
 * Brotli or gzip, as the browser accepts (compression 1.8 prefers brotli), for every compressible
 * response over 1 KB (issue 14: the 80-action plan page was ~700 KB sent as is). Server-Sent Event streams are left alone: zlib holds small writes back until its
 * buffer fills, so a nudge to open pages would wait for kilobytes of later events. Their routes
 * also send `Cache-Control: no-transform`, which the middleware honours; the type check here is
 * the rule itself, not a reliance on that header. WebSocket upgrades never reach Express.
 */
import compression from "compression";
import type { Request, RequestHandler, Response } from "express";

export function isEventStream(res: Response): boolean {
  return /^text\/event-stream/i.test(String(res.getHeader("Content-Type") ?? ""));
}

export function compressResponses(): RequestHandler {
  return compression({
    threshold: 1024,
    filter: (req: Request, res: Response) => !isEventStream(res) && compression.filter(req, res),
  });
}
