import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import helmet from "helmet";
import { ownOrigins, type TrustProxy } from "../origin";

/** The nonce of this response's Content-Security-Policy, for Remix's inline scripts. */
export function cspNonce(res: ServerResponse): string {
  return (res as ServerResponse & { locals: { cspNonce: string } }).locals.cspNonce;
}

/**
 * Security headers on every response (pages, data requests, resource routes, errors, static
 * files, refusals), through helmet.
 *
 * - Scripts: our own files and the inline scripts Remix writes, which carry this request's nonce.
 *   No 'unsafe-inline', no 'unsafe-eval', so an injected `<script>` or `onclick="..."` never runs.
 * - Styles: our stylesheet only for `<style>`/`<link>` (style-src-elem 'self'); style ATTRIBUTES
 *   are allowed (style-src-attr 'unsafe-inline') because React renders `style={{...}}` props into
 *   the server HTML (presence colours, chart bar widths, the board's timeline grid). An attribute
 *   can only restyle its own element: it cannot load a script or read the page.
 * - connect-src: the app's origin(s) and their WebSocket twins, for the sync socket and EventSource.
 * - frame-ancestors 'none' (and X-Frame-Options DENY for older browsers): never framed.
 * - HSTS only when the request really came over https (`req.secure`, which believes
 *   X-Forwarded-Proto only from a configured proxy): over plain http it would be ignored anyway,
 *   and sent to a local http test server it would only confuse.
 * - In development Vite injects inline styles and an HMR socket, so the policy is relaxed there.
 */
export function securityHeaders(opts: { publicOrigins: string[]; trust: TrustProxy; development: boolean }): RequestHandler[] {
  const connectSources = (req: IncomingMessage) => {
    const origins = ownOrigins(req, opts.publicOrigins, opts.trust);
    return ["'self'", ...origins.map((o) => o.replace(/^http/, "ws"))].join(" ");
  };
  const nonce = (_req: IncomingMessage, res: ServerResponse) => `'nonce-${cspNonce(res)}'`;
  const dev = opts.development;
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // Vite's development preamble is inline and carries no nonce.
        scriptSrc: dev ? ["'self'", "'unsafe-inline'"] : ["'self'", nonce],
        scriptSrcAttr: ["'none'"],
        styleSrc: dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
        styleSrcElem: dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: dev ? ["'self'", "ws:", "wss:"] : [connectSources],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Pages open no cross-origin windows or resources; the defaults for these are fine.
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: "same-origin" },
    strictTransportSecurity: false,
    xFrameOptions: { action: "deny" },
  });
  const hsts = helmet.strictTransportSecurity({ maxAge: 365 * 24 * 60 * 60, includeSubDomains: true });
  return [
    (_req, res, next) => {
      res.locals.cspNonce = randomBytes(16).toString("base64");
      next();
    },
    headers,
    (req, res, next) => (req.secure ? hsts(req, res, next) : next()),
  ];
}
