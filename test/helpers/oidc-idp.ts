import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/**
 * A real OpenID provider (oidc-provider) in the test process, on port 0, standing in for an
 * organisation's Entra ID tenant. Its interaction step signs in whichever account the test names
 * in `nextLogin` (no login form), and `tokenTransform`, when set, rewrites the token endpoint's
 * answer on its way out: how the tests forge issuers, audiences and signatures the way an attacker
 * between the provider and the workspace would.
 */

export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  tid?: string;
  name?: string;
  preferred_username?: string;
}

export interface TestIdp {
  issuer: string;
  accounts: Map<string, TestAccount>;
  nextLogin: string;
  tokenTransform: ((body: Record<string, unknown>) => Record<string, unknown>) | null;
  /** The key the provider signs with, so a test can re-sign a changed token validly. */
  signingKey: crypto.KeyObject;
  kid: string;
  close(): Promise<void>;
}

export async function startTestIdp(opts: {
  clients: { client_id: string; client_secret: string; redirect_uris: string[] }[];
}): Promise<TestIdp> {
  let handler: http.RequestListener = (_req, res) => res.end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = `test-${crypto.randomBytes(4).toString("hex")}`;
  const jwk = { ...privateKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };

  const idp: TestIdp = {
    issuer,
    accounts: new Map(),
    nextLogin: "",
    tokenTransform: null,
    signingKey: privateKey,
    kid,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const provider = new Provider(issuer, {
    clients: opts.clients.map((c) => ({
      ...c,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    })),
    jwks: { keys: [jwk as never] },
    cookies: { keys: ["oidc-test-cookie-key"] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    // Entra puts tid, email and preferred_username in the id_token itself.
    claims: { openid: ["sub", "tid"], email: ["email", "email_verified"], profile: ["name", "preferred_username"] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    findAccount: (_ctx: unknown, id: string) => {
      const account = idp.accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...account }) };
    },
  });
  const callback = provider.callback();

  handler = async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", issuer);
      if (url.pathname.startsWith("/interaction/")) {
        const details = await provider.interactionDetails(req, res);
        const accountId = idp.nextLogin;
        const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
        grant.addOIDCScope(String(details.params.scope));
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
        return;
      }
      const transform = idp.tokenTransform;
      if (req.method === "POST" && url.pathname === "/token" && transform) {
        const end = res.end.bind(res) as (chunk?: unknown) => http.ServerResponse;
        res.end = ((chunk?: unknown) => {
          if (res.statusCode !== 200 || chunk === undefined) return end(chunk);
          const out = JSON.stringify(transform(JSON.parse(String(chunk)) as Record<string, unknown>));
          res.setHeader("Content-Length", Buffer.byteLength(out));
          return end(out);
        }) as typeof res.end;
      }
      callback(req, res);
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  };
  return idp;
}

const b64 = (v: object | Buffer) => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString("base64url");

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string } {
  const [h, p, s] = token.split(".");
  return { header: JSON.parse(Buffer.from(h!, "base64url").toString()), payload: JSON.parse(Buffer.from(p!, "base64url").toString()), signature: s! };
}

/** RS256 over header.payload with the given key. */
export function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: crypto.KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${crypto.sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

/** Changes the id_token's claims and keeps its original signature: a tampered token. */
export function tamperJwt(token: string, change: (payload: Record<string, unknown>) => void): string {
  const { header, payload, signature } = decodeJwt(token);
  change(payload);
  return `${b64(header)}.${b64(payload)}.${signature}`;
}

/**
 * Just enough of a browser for a redirect chain across two sites: follows redirects by hand and
 * keeps each origin's cookies (path and expiry ignored, deletions honoured).
 */
export class TestBrowser {
  private jars = new Map<string, Map<string, string>>();

  cookieHeader(url: string): string {
    const jar = this.jars.get(new URL(url).origin);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join("; ") : "";
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name);
  }

  async get(url: string): Promise<Response> {
    const res = await fetch(url, { headers: { Cookie: this.cookieHeader(url) }, redirect: "manual" });
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    this.jars.set(origin, jar);
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) < Date.now()));
      if (expired || value === "") jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /** Follows redirects from `url` until one points at `stopAt` (an origin) or a page answers. */
  async follow(url: string, stopAt: string): Promise<{ url: string; res: Response | null }> {
    let next = url;
    for (let hop = 0; hop < 20; hop++) {
      if (hop > 0 && next.startsWith(stopAt)) return { url: next, res: null };
      const res = await this.get(next);
      const location = res.headers.get("location");
      if (res.status < 300 || res.status >= 400 || !location) return { url: next, res };
      next = new URL(location, next).href;
    }
    throw new Error(`too many redirects from ${url}`);
  }
}
