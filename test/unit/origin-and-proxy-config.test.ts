import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config";
import { clientAddress, compileTrustProxy, isOwnOrigin, requestOrigin } from "../../server/origin";

const env = (vars: Record<string, string> = {}): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...vars });

function req(peer: string, headers: Record<string, string>, encrypted = false) {
  return { socket: { remoteAddress: peer, encrypted } as never, headers };
}

describe("TRUST_PROXY and PUBLIC_ORIGINS", () => {
  it("default to trusting no proxy and no configured origin", () => {
    const config = loadConfig(env({}));
    expect(config.trustProxy).toEqual([]);
    expect(config.publicOrigins).toEqual([]);
  });

  it("accept addresses, CIDR ranges and Express's names, and refuse anything else naming the variable", () => {
    expect(loadConfig(env({ TRUST_PROXY: "10.0.0.0/8, 127.0.0.1, loopback" })).trustProxy).toEqual(["10.0.0.0/8", "127.0.0.1", "loopback"]);
    expect(() => loadConfig(env({ TRUST_PROXY: "true" }))).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig(env({ TRUST_PROXY: "2" }))).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig(env({ TRUST_PROXY: "proxy.example" }))).toThrow(/TRUST_PROXY/);
  });

  it("normalise public origins and refuse what is not one", () => {
    expect(loadConfig(env({ PUBLIC_ORIGINS: "https://Codesign.Example:443, http://localhost:3000/" })).publicOrigins).toEqual([
      "https://codesign.example",
      "http://localhost:3000",
    ]);
    expect(() => loadConfig(env({ PUBLIC_ORIGINS: "codesign.example" }))).toThrow(/PUBLIC_ORIGINS/);
  });
});

describe("the origin rule shared by HTTP and the sync upgrade", () => {
  const none = compileTrustProxy([]);
  const local = compileTrustProxy(["loopback"]);

  it("with no public origins, needs scheme, host and port of the request itself", () => {
    const r = req("203.0.113.9", { host: "workspace.example:8080" });
    expect(isOwnOrigin("http://workspace.example:8080", r, [], none)).toBe(true);
    expect(isOwnOrigin("https://workspace.example:8080", r, [], none)).toBe(false);
    expect(isOwnOrigin("http://workspace.example:8081", r, [], none)).toBe(false);
    expect(isOwnOrigin("http://workspace.example", r, [], none)).toBe(false);
    expect(isOwnOrigin("null", r, [], none)).toBe(false);
    expect(isOwnOrigin(undefined, r, [], none)).toBe(false);
    expect(isOwnOrigin("https://workspace.example:8080", req("203.0.113.9", { host: "workspace.example:8080" }, true), [], none)).toBe(true);
  });

  it("believes forwarded scheme and host only from a configured proxy", () => {
    const forwarded = { host: "127.0.0.1:3000", "x-forwarded-proto": "https", "x-forwarded-host": "codesign.example" };
    expect(requestOrigin(req("127.0.0.1", forwarded), local)).toBe("https://codesign.example");
    expect(requestOrigin(req("127.0.0.1", forwarded), none)).toBe("http://127.0.0.1:3000");
  });

  it("with public origins, accepts only those", () => {
    const r = req("203.0.113.9", { host: "127.0.0.1:3000" });
    expect(isOwnOrigin("https://codesign.example", r, ["https://codesign.example"], none)).toBe(true);
    expect(isOwnOrigin("http://127.0.0.1:3000", r, ["https://codesign.example"], none)).toBe(false);
  });

  it("takes the client address from X-Forwarded-For only through configured proxies", () => {
    const headers = { "x-forwarded-for": "198.51.100.7, 192.0.2.1" };
    expect(clientAddress(req("127.0.0.1", headers) as never, none)).toBe("127.0.0.1");
    expect(clientAddress(req("127.0.0.1", headers) as never, local)).toBe("192.0.2.1");
    expect(clientAddress(req("203.0.113.9", headers) as never, local)).toBe("203.0.113.9");
  });
});
