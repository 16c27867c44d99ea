import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DOCS, RefusedUpgrade, SyncHarness, waitFor, type UserKey } from "../helpers/sync-harness";

let h: SyncHarness;
afterEach(async () => {
  await h?.close();
});

async function refusal(
  user: UserKey | null,
  opts: { doc?: string; origin?: string | null; rawPath?: string },
): Promise<RefusedUpgrade> {
  const roomsBefore = h.sync.stats().rooms;
  const error = await h.raw(user, opts.doc ?? DOCS.one, opts).then(
    () => {
      throw new Error("the upgrade was accepted");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RefusedUpgrade);
  // A refused upgrade must not create a room or a Y.Doc.
  expect(h.sync.stats().rooms).toBe(roomsBefore);
  return error as RefusedUpgrade;
}

describe("who may open a document", () => {
  it("refuses without a session (401), from a foreign origin (403), for unknown documents (404), without a grant (403)", async () => {
    h = await SyncHarness.start();
    const anonymous = await refusal(null, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatch(/sign in/i);

    expect((await refusal("alice", { origin: "http://evil.example" })).status).toBe(403);
    expect((await refusal("alice", { origin: null })).status).toBe(403);
    expect((await refusal("alice", { origin: `http://127.0.0.1:${h.port + 1}` })).status).toBe(403);

    const unknown = await refusal("alice", { doc: "no-such-doc" });
    expect(unknown.status).toBe(404);

    const outsider = await refusal("dave", {});
    expect(outsider.status).toBe(403);
    expect(outsider.body).toMatch(/access/);

    // An expired session is no session.
    await h.db.updateTable("sessions").set({ expires_at: "2000-01-01T00:00:00.000Z" }).where("user_id", "=", h.users.bob.id).execute();
    expect((await refusal("bob", {})).status).toBe(401);

    expect(h.sync.stats()).toEqual({ rooms: 0, connections: 0 });
  });

  it.each([
    ["a trailing slash", "/sync/doc-one/"],
    ["an encoded slash", "/sync/doc%2Fone"],
    ["a path below the room", "/sync/doc-one/x"],
    ["leading whitespace", "/sync/%20doc-one"],
    ["trailing whitespace", "/sync/doc-one%20"],
    ["no room at all", "/sync/"],
    ["bad percent-encoding", "/sync/doc-%E0%A4%A"],
    ["a NUL byte", "/sync/doc-one%00"],
    ["a 129-character name", `/sync/${"a".repeat(129)}`],
  ])("refuses a room name with %s (400) instead of normalising it", async (_name, rawPath) => {
    h = await SyncHarness.start();
    const refused = await refusal("alice", { rawPath });
    expect(refused.status).toBe(400);
    expect(refused.body.length).toBeGreaterThan(10);
    expect(h.sync.stats()).toEqual({ rooms: 0, connections: 0 });
  });

  it("accepts a 128-character name (404 here, as no such document exists) and leaves other paths to the caller", async () => {
    h = await SyncHarness.start();
    expect((await refusal("alice", { rawPath: `/sync/${"a".repeat(128)}` })).status).toBe(404);
    // Not under the prefix: the harness's own handler answers 404 with no body.
    const other = await refusal("alice", { rawPath: "/vite-hmr" });
    expect(other.status).toBe(404);
    expect(other.body).toBe("");
  });

  it("writes a plain HTTP response with a human reason and closes the socket", async () => {
    h = await SyncHarness.start();
    const response = await rawUpgrade(`/sync/${DOCS.one}`, { Origin: h.origin });
    expect(response).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(response).toContain("Connection: close\r\n");
    expect(response).toContain("Content-Type: text/plain");
    expect(response.split("\r\n\r\n")[1]).toMatch(/sign in/i);
  });

  it.each(["/sync/../sync/doc-one", "/sync/./doc-one", "/sync//doc-one"])(
    "refuses %s, which a URL parser would have normalised, with 400",
    async (path) => {
      h = await SyncHarness.start();
      const response = await rawUpgrade(path, { Origin: h.origin, Cookie: h.users.alice.cookie });
      expect(response).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(h.sync.stats().rooms).toBe(0);
    },
  );

  it("gives each role the access the policy grants", async () => {
    h = await SyncHarness.start();
    for (const user of ["alice", "bob", "carol", "victor"] as const) {
      const c = await h.raw(user, DOCS.one);
      c.ws.close();
    }
    const opened = h.logs.filter((l) => l.msg === "sync connection opened").map((l) => l.fields?.access);
    expect(opened).toEqual(["write", "write", "read", "read"]);
  });

  it("refuses with 503 once a document has its maximum number of connections", async () => {
    h = await SyncHarness.start({ maxConnectionsPerDocument: 2 });
    await h.raw("alice", DOCS.one);
    await h.raw("bob", DOCS.one);
    const full = await refusal("carol", {});
    expect(full.status).toBe(503);
    expect(full.body).toMatch(/try again later/);
    // Other documents are not affected.
    const elsewhere = await h.raw("carol", DOCS.two);
    await waitFor(() => elsewhere.frames.length > 0, "a greeting");
    expect(h.sync.stats()).toEqual({ rooms: 2, connections: 3 });
  });
});

/** An upgrade request written by hand, so no client library can tidy the path first. */
function rawUpgrade(path: string, headers: Record<string, string>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = net.connect(h.port, "127.0.0.1", () => {
      const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}` +
          "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" +
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
      );
    });
    let data = "";
    socket.on("data", (c) => (data += c.toString()));
    socket.on("close", () => resolve(data));
    socket.on("error", reject);
  });
}
