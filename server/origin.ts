import type { IncomingMessage } from "node:http";

/**
 * A browser always sends Origin on a WebSocket upgrade. We accept the configured public origins,
 * or, when none are configured, an origin whose host is the host the request was addressed to.
 */
export function isOriginAllowed(req: IncomingMessage, publicOrigins: string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  if (publicOrigins.length > 0) return publicOrigins.includes(origin);
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
