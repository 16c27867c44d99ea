import { afterEach, describe, expect, it } from "vitest";
import { DOCS, PLAN_ID, SyncHarness, sleep, waitFor } from "../helpers/sync-harness";

let h: SyncHarness;
afterEach(async () => {
  await h?.close();
});

describe("live connections follow sessions and rights", () => {
  it("closeSession closes that session's sockets with 4401, and the client does not reconnect", async () => {
    h = await SyncHarness.start();
    const a = await h.provider("alice", DOCS.one);
    const a2 = await h.provider("alice", DOCS.two);
    const b = await h.provider("bob", DOCS.one);
    h.sync.closeSession(h.users.alice.sessionHash, "signed out");
    await waitFor(() => a.closes.length > 0 && a2.closes.length > 0, "alice's sockets to close");
    expect(a.closes[0]).toEqual({ code: 4401, reason: "signed out" });
    expect(a2.closes[0].code).toBe(4401);
    await sleep(300);
    expect(h.sync.stats().connections).toBe(1);
    b.text.insert(0, "still here");
    await h.waitForStoredText(DOCS.one, "still here");
  });

  it("refreshAccess makes an editor whose grant became commenter read-only: their next update is not applied", async () => {
    h = await SyncHarness.start();
    const a = await h.provider("alice", DOCS.one);
    const b = await h.provider("bob", DOCS.one);
    a.text.insert(0, "Before. ");
    await waitFor(() => b.text.toString() === "Before. ", "bob to see alice");

    await h.db.updateTable("plan_grants").set({ role: "commenter" }).where("plan_id", "=", PLAN_ID).where("organisation_id", "=", "org-a").execute();
    await h.sync.refreshAccess((p) => p.organisationId === "org-a");

    a.text.insert(a.text.length, "After the downgrade.");
    b.text.insert(0, "Bob: ");
    await waitFor(() => a.text.toString().startsWith("Bob: "), "alice still receives");
    await sleep(100);
    await h.sync.flush();
    expect(b.text.toString()).toBe("Bob: Before. ");
    expect(await h.storedText(DOCS.one)).toBe("Bob: Before. ");
    expect(a.closes).toEqual([]);
    expect(h.logs.some((l) => l.msg === "sync access changed" && l.fields?.to === "read")).toBe(true);
  });

  it("refreshAccess closes connections whose right was removed with 4403, and only re-checks matching ones", async () => {
    h = await SyncHarness.start();
    const a = await h.provider("alice", DOCS.one);
    const b = await h.provider("bob", DOCS.one);
    await h.db.deleteFrom("plan_grants").where("plan_id", "=", PLAN_ID).execute();
    await h.sync.refreshAccess((p) => p.userId === h.users.bob.id);
    await waitFor(() => b.closes.length > 0, "bob's socket to close");
    expect(b.closes[0].code).toBe(4403);
    expect(a.closes).toEqual([]);
  });

  it("refreshAccess lets a commenter who became an editor write", async () => {
    h = await SyncHarness.start();
    const b = await h.provider("bob", DOCS.one);
    const c = await h.provider("carol", DOCS.one);
    c.text.insert(0, "typed while read-only ");
    await sleep(100);
    expect(b.text.toString()).toBe("");
    await h.db.updateTable("plan_grants").set({ role: "editor" }).where("organisation_id", "=", "org-c").execute();
    await h.sync.refreshAccess((p) => p.organisationId === "org-c");
    c.text.insert(c.text.length, "and now as editor");
    await waitFor(() => b.text.toString() === c.text.toString(), "bob and carol to converge");
    expect(b.text.toString()).toContain("and now as editor");
  });

  it("terminates sockets that stop answering pings and keeps those that answer", async () => {
    h = await SyncHarness.start({ keepaliveIntervalMs: 100 });
    const live = await h.provider("bob", DOCS.one);
    const dead = await h.raw("alice", DOCS.one);
    // A client whose network went away answers nothing.
    (dead.ws as unknown as { pong: () => void }).pong = () => {};
    await waitFor(() => h.sync.stats().connections === 1, "the dead socket to be dropped", 2000);
    expect(h.logCount("terminating a sync socket that stopped answering pings")).toBe(1);
    await sleep(300);
    expect(live.provider.wsconnected).toBe(true);
    expect(live.closes).toEqual([]);
  });

  it("close() tells clients the server is restarting (1012), stores everything and unloads every room", async () => {
    h = await SyncHarness.start();
    const a = await h.provider("alice", DOCS.one);
    const b = await h.provider("bob", DOCS.two);
    a.text.insert(0, "one");
    b.text.insert(0, "two");
    await h.waitForStoredText(DOCS.one, "one");
    await h.waitForStoredText(DOCS.two, "two");
    await h.sync.close("deploying");
    expect(h.sync.stats()).toEqual({ rooms: 0, connections: 0 });
    await waitFor(() => a.closes.length > 0, "alice's close");
    expect(a.closes[0]).toEqual({ code: 1012, reason: "deploying" });
    const snapshots = await h.db.selectFrom("document_snapshots").select("document_id").execute();
    expect(snapshots.map((s) => s.document_id).sort()).toEqual([DOCS.one, DOCS.two]);
  });
});
