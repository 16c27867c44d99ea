import type { RequestHandler } from "express";
import { claimedOrigin, isOwnOrigin, type TrustProxy } from "../origin";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const ONE_CLICK_UNSUBSCRIBE = "/unsubscribe";

/**
 * The one check against cross-site requests, before Remix: any state-changing method on any route
 * (pages, `?_data=`, `.data`, resource routes) must come from one of the app's own origins, by
 * Origin or, when a browser left Origin out, by Referer. The session cookie is SameSite=Lax, which
 * still lets a sibling subdomain or a top-level form post through; this closes both.
 *
 * Remix runs a narrower check of its own (Origin host against Host/X-Forwarded-Host) that answers
 * 500, and would refuse a configured public origin behind a proxy that rewrites Host. Once this
 * check has passed, the headers that check reads are removed, so no refusal of Remix's remains.
 */
export function crossSiteGuard(opts: { publicOrigins: string[]; trust: TrustProxy }): RequestHandler {
  return (req, res, next) => {
    if (!req.socket.remoteAddress || !opts.trust(req.socket.remoteAddress, 0)) delete req.headers["x-forwarded-host"];
    if (SAFE_METHODS.has(req.method)) return next();
    if (req.path === ONE_CLICK_UNSUBSCRIBE) {
      // RFC 8058: a mail provider POSTs here from its own servers, with no Origin and no session.
      // The signed token in the address is the whole authority, and it can only turn email off.
      delete req.headers.origin;
      return next();
    }
    const claimed = claimedOrigin(req);
    if (!isOwnOrigin(claimed, req, opts.publicOrigins, opts.trust)) {
      const why = claimed
        ? "This request came from another site, so it was not carried out. Go back to the workspace, reload the page and try again there."
        : "This request did not say which site it came from (no Origin or Referer header), so it was not carried out. Send it from the workspace in a browser, or send the workspace's Origin header.";
      res.status(403).type("text/plain; charset=utf-8").send(`${why}\n`);
      return;
    }
    delete req.headers.origin;
    next();
  };
}
