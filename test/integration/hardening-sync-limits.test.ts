/**
 * Hardening 11 and 12: room-name variants get the canonical name's rights decision or are
 * refused; connection attempts are limited per address before any database work; sockets
 * without a session get a plain 401 and nothing else, and are closed by the server.
 * (The per-document cap is in sync-upgrade.test.ts.)
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DOCS, SyncHarness } from "../helpers/sync-harness";

let h: SyncHarness;
afterEach(async () => {
  await h?.close();
});

/** An upgrade written by hand; resolves with the status and whether the server closed the socket. */
function upgrade(path: string, headers: Record<string, string>): Promise<{ status: number; response: string; serverClosed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(h.port, "127.0.0.1", () => {
      const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\n${extra}` +
          "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" +
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
      );
    });
    let data = "";
    let settled = false;
    const finish = (serverClosed: boolean) => {
      if (settled) return;
      settled = true;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      socket.destroy();
      resolve({ status, response: data, serverClosed });
    };
    socket.on("data", (c) => {
      data += c.toString("latin1");
      // An accepted upgrade stays open: that is the answer.
      if (data.startsWith("HTTP/1.1 101")) finish(false);
    });
    socket.on("end", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("error", reject);
  });
}

const canonical = `/sync/${DOCS.one}`;

describe("room-name variants", () => {
  const variants: [string, string, "same" | 400 | 404][] = [
    ["a percent-encoded letter", "/sync/%64oc-one", "same"],
    ["a query string", `${canonical}?room=doc-two`, "same"],
    ["another case", "/sync/DOC-ONE", 404],
    ["a double-encoded slash", "/sync/doc%252Fone", 400],
    ["an encoded tab", "/sync/doc-one%09", 400],
    ["an encoded newline", "/sync/doc-one%0A", 400],
    ["a Unicode hyphen", "/sync/doc%E2%80%90one", 400],
    ["an encoded dot segment", "/sync/%2E%2E%2Fsync%2Fdoc-one", 400],
  ];

  it.each(variants)("%s: the canonical name's decision for every role, or refused", async (_what, path, expected) => {
    h = await SyncHarness.start();
    for (const user of ["alice", "carol", "dave"] as const) {
      const headers = { Origin: h.origin, Cookie: h.users[user].cookie };
      const canon = await upgrade(canonical, headers);
      const variant = await upgrade(path, headers);
      if (expected === "same") expect(variant.status, `${user} via ${path}`).toBe(canon.status);
      else expect(variant.status, `${user} via ${path}`).toBe(expected);
    }
    // And read access stays read access through a variant.
    const access = h.logs.filter((l) => l.msg === "sync connection opened" && l.fields?.userId === h.users.carol.id).map((l) => l.fields?.access);
    expect(new Set(access)).toEqual(new Set(["read"]));
  });
});

describe("connection limits", () => {
  it("limits upgrade attempts per address (429 with Retry-After) before looking at the session", async () => {
    h = await SyncHarness.start({ connectionsPerMinute: 5 });
    const from = (address: string, cookie?: string) =>
      upgrade(canonical, { Origin: h.origin, "X-Forwarded-For": address, ...(cookie ? { Cookie: cookie } : {}) });
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await from("198.51.100.7"));
    expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(results[5].response).toMatch(/Retry-After: \d+/);
    expect(results[5].response).toMatch(/Too many connections from your address/);
    for (const r of results) expect(r.serverClosed).toBe(true);
    // Only the first five reached the session check.
    expect(h.logs.filter((l) => l.msg === "sync upgrade refused" && l.fields?.status === 401)).toHaveLength(5);
    // Another address is not affected, and a signed-in person there gets in.
    expect((await from("198.51.100.8", h.users.alice.cookie)).status).toBe(101);
  });

  it("gives a socket without a session a plain 401 and nothing else, and closes it", async () => {
    h = await SyncHarness.start();
    const r = await upgrade(canonical, { Origin: h.origin });
    expect(r.status).toBe(401);
    // The server ended the connection; this client never closes it.
    expect(r.serverClosed).toBe(true);
    const [head, body] = r.response.split("\r\n\r\n");
    expect(head).toContain("Connection: close");
    expect(body).toMatch(/sign in/i);
    // Nothing but the refusal: no WebSocket frame, no document data.
    expect(r.response).not.toContain("doc-one");
    expect(h.sync.stats()).toEqual({ rooms: 0, connections: 0 });
  });
});
