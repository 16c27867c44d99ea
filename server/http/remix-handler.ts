/**
 * Remix's Express adapter, reading the body that server/http/body-limits.ts has already read
 * within the limits (`req.body`) instead of streaming `req` itself: the adapter's own handler
 * would read an unbounded body straight into `request.formData()`. Everything else is as the
 * adapter (2.17.5) does it: the same URL, headers, abort on a closed response, response writing.
 */
import type { GetLoadContextFunction } from "@remix-run/express";
import { createRequestHandler as createRemixRequestHandler, type ServerBuild } from "@remix-run/node";
import type { Request as ExpressRequest, Response as ExpressResponse, RequestHandler } from "express";

function remixHeaders(incoming: ExpressRequest["headers"]): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(incoming)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  return headers;
}

async function sendRemixResponse(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  const eventStream = /text\/event-stream/i.test(response.headers.get("Content-Type") ?? "");
  if (eventStream) res.flushHeaders();
  if (response.body) await writeBody(response.body, res, eventStream);
  else res.end();
}

/**
 * As the adapter's writeReadableStreamToWritable, except that it flushes only event streams.
 * The adapter flushes after every chunk, and React renders a page in hundreds of small chunks:
 * behind the gzip middleware each flush ends a deflate block, and the 80-action plan page came
 * out at twice the size of the same HTML gzipped whole. No page here streams deferred data.
 */
async function writeBody(body: ReadableStream<Uint8Array>, res: ExpressResponse, flushEachChunk: boolean) {
  const reader = body.getReader();
  const flushable = res as ExpressResponse & { flush?: () => void };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        res.end();
        return;
      }
      res.write(value);
      if (flushEachChunk) flushable.flush?.();
    }
  } catch (error) {
    res.destroy(error as Error);
    throw error;
  }
}

function remixRequest(req: ExpressRequest, res: ExpressResponse): Request {
  // As the adapter does: the port from X-Forwarded-Host or Host, the host as `trust proxy` allows.
  const [, forwardedPort] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const port = [forwardedPort, hostPort].map((p) => Number.parseInt(p ?? "", 10)).find(Number.isSafeInteger) ?? "";
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  let controller: AbortController | null = new AbortController();
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: remixHeaders(req.headers), signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const body = Buffer.isBuffer(req.body) ? (req.body as Buffer) : Buffer.alloc(0);
    init.body = new Uint8Array(body.buffer, body.byteOffset, body.length) as unknown as BodyInit;
    // The body is whole now, whatever framing it came with.
    (init.headers as Headers).delete("transfer-encoding");
    (init.headers as Headers).set("content-length", String(body.length));
  }
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url.href, init);
}

export function createRequestHandler({
  build,
  getLoadContext,
  mode = process.env.NODE_ENV,
}: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  getLoadContext?: GetLoadContextFunction;
  mode?: string;
}): RequestHandler {
  const handleRequest = createRemixRequestHandler(build, mode);
  return async (req, res, next) => {
    try {
      const request = remixRequest(req, res);
      const loadContext = await getLoadContext?.(req, res);
      const response = await handleRequest(request, loadContext);
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}
