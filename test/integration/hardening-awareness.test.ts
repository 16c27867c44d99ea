/**
 * Hardening 10: presence abuse. Many entries in one frame, floods of new client ids, oversized
 * states and a `user` field naming someone else are capped or rewritten, never relayed as sent;
 * and the echoes every y-websocket client sends of other people's presence are dropped quietly.
 */
import * as encoding from "lib0/encoding";
import { afterEach, describe, expect, it } from "vitest";
import { DOCS, SyncHarness, sleep, waitFor } from "../helpers/sync-harness";

function awarenessFrame(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(inner, e.clientId);
    encoding.writeVarUint(inner, e.clock);
    encoding.writeVarString(inner, JSON.stringify(e.state));
  }
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, 1);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

let h: SyncHarness;
afterEach(async () => {
  await h?.close();
});

describe("presence abuse", () => {
  it("rewrites a `user` field naming someone else, and keeps only the sender's own four ids from a flood", async () => {
    h = await SyncHarness.start();
    const bob = await h.provider("bob", DOCS.one);
    const carol = await h.raw("carol", DOCS.one);
    await waitFor(() => carol.frames.length > 0, "a greeting");
    const impersonation = { user: { id: h.users.alice.id, name: "Alice Ahmed", organisationName: "Northshire County Council" }, name: "Alice", color: "#000" };
    // Fifty frames of fresh ids, twenty each: a thousand would-be people.
    for (let f = 0; f < 50; f++) {
      carol.send(awarenessFrame(Array.from({ length: 20 }, (_, i) => ({ clientId: 10_000 + f * 20 + i, clock: 1, state: impersonation }))));
    }
    await waitFor(() => bob.provider.awareness.getStates().has(10_003), "carol's first ids");
    await sleep(100);
    const relayed = [...bob.provider.awareness.getStates().entries()].filter(([id]) => id >= 10_000 && id < 11_000);
    expect(relayed.map(([id]) => id)).toEqual([10_000, 10_001, 10_002, 10_003]);
    for (const [, state] of relayed) {
      expect(state.user).toEqual({
        id: h.users.carol.id,
        name: "Carol Chen",
        organisationId: "org-c",
        organisationName: "Northshire Voluntary Action",
      });
      expect(state.name).toBe("Carol Chen (Northshire Voluntary Action)");
    }
    // One warning for the connection, not one per frame.
    expect(h.logCount("ignored awareness entries")).toBe(1);
  });

  it("refuses a frame with more entries than any browser sends (4400), and ignores oversized states", async () => {
    h = await SyncHarness.start();
    const bob = await h.provider("bob", DOCS.one);
    const carol = await h.raw("carol", DOCS.one);
    await waitFor(() => carol.frames.length > 0, "a greeting");
    carol.send(awarenessFrame([{ clientId: 7, clock: 1, state: { note: "x".repeat(10_000) } }]));
    carol.send(awarenessFrame([{ clientId: 8, clock: 1, state: { ok: true } }]));
    await waitFor(() => bob.provider.awareness.getStates().has(8), "the small state");
    expect(bob.provider.awareness.getStates().has(7)).toBe(false);

    const flood = await h.raw("carol", DOCS.one);
    await waitFor(() => flood.frames.length > 0, "a greeting");
    flood.send(awarenessFrame(Array.from({ length: 3000 }, (_, i) => ({ clientId: 50_000 + i, clock: 1, state: {} }))));
    const closed = await flood.closed;
    expect(closed.code).toBe(4400);
    expect(closed.reason).toMatch(/too many presence entries/);
    expect(bob.provider.awareness.getStates().has(50_000)).toBe(false);
  });

  it("drops the echoes y-websocket clients send of other people's presence, without logging them", async () => {
    h = await SyncHarness.start();
    const clients = await Promise.all(["alice", "bob", "carol", "victor"].map((u) => h.provider(u as "alice", DOCS.one)));
    clients.forEach((c, i) => c.provider.awareness.setLocalStateField("cursor", { at: i }));
    await waitFor(
      () => clients.every((c) => clients.every((o) => c.provider.awareness.getStates().get(o.doc.clientID)?.cursor?.at !== undefined)),
      "everyone to see everyone's cursor",
    );
    // Each of those states was echoed back by the three others; none was taken as theirs.
    await sleep(200);
    for (const c of clients) {
      for (const o of clients) {
        if (o === c) continue; // its own state is local, as it set it
        const state = c.provider.awareness.getStates().get(o.doc.clientID);
        expect(state?.user?.id).toBe(h.users[(["alice", "bob", "carol", "victor"] as const)[clients.indexOf(o)]].id);
      }
    }
    expect(h.logCount("ignored awareness entries")).toBe(0);
  });
});
