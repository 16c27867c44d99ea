import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import proxyAddr from "proxy-addr";

/**
 * Who is asking, and from which site: one rule for HTTP (Express) and the sync server's upgrade,
 * which never goes through Express. Forwarding headers are believed only when the socket's peer
 * is one of the configured proxies (TRUST_PROXY); Express is given the same compiled rule
 * (`app.set("trust proxy", trust)`), so `req.ip`, `req.protocol` and `req.secure` agree with this.
 */
export type TrustProxy = (address: string, hop: number) => boolean;

export function compileTrustProxy(list: string[]): TrustProxy {
  return proxyAddr.compile(list);
}

type Req = Pick<IncomingMessage, "headers" | "socket">;

function peerIsTrusted(req: Req, trust: TrustProxy): boolean {
  return trust(req.socket.remoteAddress ?? "", 0);
}

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(",")[0]?.trim() || undefined;
}

/** The client's address: the socket's peer, or the nearest untrusted hop reported by trusted proxies. */
export function clientAddress(req: Req, trust: TrustProxy): string {
  return proxyAddr(req as IncomingMessage, trust);
}

/** scheme://host[:port] the request was addressed to, as the browser saw it. */
export function requestOrigin(req: Req, trust: TrustProxy): string | null {
  const trusted = peerIsTrusted(req, trust);
  const scheme =
    (trusted && firstValue(req.headers["x-forwarded-proto"])) || ((req.socket as TLSSocket).encrypted ? "https" : "http");
  const host = (trusted && firstValue(req.headers["x-forwarded-host"])) || req.headers.host;
  return host ? normalOrigin(`${scheme}://${host}`) : null;
}

/** The origins this app answers as: PUBLIC_ORIGINS, or when none are configured, the request's own. */
export function ownOrigins(req: Req, publicOrigins: string[], trust: TrustProxy): string[] {
  if (publicOrigins.length > 0) return publicOrigins;
  const own = requestOrigin(req, trust);
  return own ? [own] : [];
}

/** Scheme, host and port must all match one of the app's origins; "null" and garbage never do. */
export function isOwnOrigin(origin: string | null | undefined, req: Req, publicOrigins: string[], trust: TrustProxy): boolean {
  if (!origin || origin === "null") return false;
  const normal = normalOrigin(origin);
  return normal !== null && ownOrigins(req, publicOrigins, trust).includes(normal);
}

/** The site a request says it comes from: Origin, or when a browser left it out, the Referer's origin. */
export function claimedOrigin(req: Req): string | null {
  const origin = firstHeader(req.headers.origin);
  if (origin) return origin;
  const referer = firstHeader(req.headers.referer);
  return referer ? normalOrigin(referer) : null;
}

function firstHeader(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

/** "https://Host:443/path" -> "https://host"; null when it is not an http(s) URL. */
export function normalOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return url.origin;
  } catch {
    return null;
  }
}
