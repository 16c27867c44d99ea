import * as encoding from "lib0/encoding";
import { afterEach, describe, expect, it } from "vitest";
import { PRESENCE_COLOURS, presenceColour } from "../../server/sync";
import { DOCS, SyncHarness, sleep, waitFor } from "../helpers/sync-harness";

let h: SyncHarness;
afterEach(async () => {
  await h?.close();
});

function awarenessFrame(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1); // messageAwareness
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(inner, e.clientId);
    encoding.writeVarUint(inner, e.clock);
    encoding.writeVarString(inner, JSON.stringify(e.state));
  }
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
  return encoding.toUint8Array(encoder);
}

function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

describe("presence is authoritative about who is who", () => {
  it("rewrites name, colour and user from the session and keeps the editor's cursor fields", async () => {
    h = await SyncHarness.start();
    const a = await h.provider("alice", DOCS.one);
    const b = await h.provider("bob", DOCS.one);
    const cursor = { anchorPos: { type: "x", tname: "root", item: null, assoc: 0 }, focusPos: null };
    a.provider.awareness.setLocalState({
      name: "Someone Else",
      color: "#ffff00",
      user: { id: 999, name: "Someone Else", organisationId: "org-b" },
      focusing: true,
      awarenessData: { avatar: "a.png" },
      ...cursor,
    });
    const alice = h.users.alice;
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.focusing === true, "bob to see alice");
    expect(b.provider.awareness.getStates().get(a.doc.clientID)).toEqual({
      name: "Alice Ahmed (Northshire County Council)",
      color: presenceColour(alice.id),
      user: { id: alice.id, name: "Alice Ahmed", organisationId: "org-a", organisationName: "Northshire County Council" },
      focusing: true,
      awarenessData: { avatar: "a.png" },
      ...cursor,
    });

    // A read-only participant is present too, and a newcomer is told who is here on connect.
    const c = await h.provider("carol", DOCS.one);
    c.provider.awareness.setLocalStateField("focusing", false);
    await waitFor(() => b.provider.awareness.getStates().get(c.doc.clientID)?.name === "Carol Chen (Northshire Voluntary Action)", "bob to see carol");
    await waitFor(() => c.provider.awareness.getStates().get(a.doc.clientID)?.name?.startsWith("Alice Ahmed") === true, "carol to see alice");

    // Leaving removes the presence that connection controlled.
    a.provider.destroy();
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), "alice's presence to go");
  });

  it("ignores entries for client ids another person's connection controls, beyond four per connection, or over 4 KiB", async () => {
    h = await SyncHarness.start();
    const a = await h.provider("alice", DOCS.one);
    const b = await h.provider("bob", DOCS.one);
    a.provider.awareness.setLocalStateField("focusing", true);
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.focusing === true, "bob to see alice");

    // Carol is a commenter: read-only, yet present, so her awareness is accepted for her own ids.
    const mallory = await h.raw("carol", DOCS.one);
    await waitFor(() => mallory.frames.length > 0, "a greeting");
    mallory.send(
      awarenessFrame([
        { clientId: a.doc.clientID, clock: 1000, state: { name: "Alice, honestly" } },
        ...[101, 102, 103, 104, 105].map((id) => ({ clientId: id, clock: 1, state: { n: id } })),
        { clientId: 106, clock: 1, state: { big: "x".repeat(5000) } },
      ]),
    );
    await waitFor(() => b.provider.awareness.getStates().has(104), "the accepted entries");
    await sleep(100);
    const states = b.provider.awareness.getStates();
    expect(states.get(a.doc.clientID)?.name).toBe("Alice Ahmed (Northshire County Council)");
    expect(states.has(105)).toBe(false);
    expect(states.has(106)).toBe(false);
    expect(states.get(101)?.name).toBe("Carol Chen (Northshire Voluntary Action)");
    expect(h.logs.some((l) => l.msg === "ignored awareness entries")).toBe(true);

    mallory.ws.close();
    await waitFor(() => !b.provider.awareness.getStates().has(101), "mallory's presence to go");
    expect(b.provider.awareness.getStates().get(a.doc.clientID)?.name).toBe("Alice Ahmed (Northshire County Council)");
  });

  it("uses a palette readable with white text, chosen deterministically from the user id", () => {
    expect(PRESENCE_COLOURS).toHaveLength(12);
    for (const colour of PRESENCE_COLOURS) expect(contrastWithWhite(colour)).toBeGreaterThanOrEqual(4.5);
    expect(presenceColour(7)).toBe(presenceColour(7));
    expect(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(presenceColour)).size).toBe(12);
  });
});
