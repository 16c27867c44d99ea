import * as encoding from "lib0/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { DOCS, SyncHarness, syncUpdateFrame, waitFor, type ProviderClient } from "../helpers/sync-harness";

function v2Update(): Uint8Array {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, "written in the v2 encoding");
  return Y.encodeStateAsUpdateV2(doc);
}

/** An update whose delete set is cut short: Y.applyUpdate would integrate its insert, then throw. */
function truncatedUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, "INJECTED text that must never appear");
  doc.getText("t").delete(0, 9);
  const full = Y.encodeStateAsUpdate(doc);
  return full.slice(0, full.length - 1);
}

function frame(...parts: (number | Uint8Array)[]): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const p of parts) {
    if (typeof p === "number") encoding.writeUint8(encoder, p);
    else encoding.writeUint8Array(encoder, p);
  }
  return encoding.toUint8Array(encoder);
}

const MAX = 64 * 1024;

/** An update whose string content is not UTF-8 (a lone continuation byte). */
function invalidUtf8Update(): Uint8Array {
  const e = encoding.createEncoder();
  for (const n of [1, 1, 77, 0]) encoding.writeVarUint(e, n);
  encoding.writeUint8(e, 4); // item, parent named, ContentString
  encoding.writeVarUint(e, 1);
  encoding.writeVarString(e, "t");
  encoding.writeVarUint8Array(e, new Uint8Array([0x80]));
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}

/** An update whose string claims more bytes than the update holds. */
function lengthPastTheEnd(): Uint8Array {
  const e = encoding.createEncoder();
  for (const n of [1, 1, 78, 0]) encoding.writeVarUint(e, n);
  encoding.writeUint8(e, 4);
  encoding.writeVarUint(e, 1);
  encoding.writeVarString(e, "t");
  encoding.writeVarUint(e, 5000);
  encoding.writeUint8Array(e, new Uint8Array([104, 105]));
  return encoding.toUint8Array(e);
}

/** A raw WebSocket close frame (masked, as from a client) with the given status code. */
function closeFrame(code: number): Buffer {
  return Buffer.from([0x88, 0x82, 0, 0, 0, 0, code >> 8, code & 0xff]);
}

const cases: { name: string; payload: () => Uint8Array | string; code: number; rawFrame?: () => Buffer }[] = [
  { name: "garbage bytes", payload: () => frame(0xde, 0xad, 0xbe, 0xef), code: 4400 },
  { name: "a garbage document update", payload: () => syncUpdateFrame(new Uint8Array([7, 200, 13, 1, 2, 3, 4])), code: 4400 },
  { name: "a truncated document update", payload: () => syncUpdateFrame(truncatedUpdate()), code: 4400 },
  {
    name: "a huge varint length",
    // messageSync, update, length 2^35 with three bytes behind it
    payload: () => frame(0, 2, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3),
    code: 4400,
  },
  { name: "unknown message type 99", payload: () => frame(99), code: 4400 },
  { name: "unknown sync sub-type", payload: () => frame(0, 9, 0), code: 4400 },
  { name: "an empty frame", payload: () => new Uint8Array(0), code: 4400 },
  { name: "a malformed awareness update", payload: () => frame(1, 5, 1, 2), code: 4400 },
  { name: "an update in Yjs's v2 format", payload: () => syncUpdateFrame(v2Update()), code: 4400 },
  { name: "an update with a string that is not UTF-8", payload: () => syncUpdateFrame(invalidUtf8Update()), code: 4400 },
  { name: "an update with a length past its end", payload: () => syncUpdateFrame(lengthPastTheEnd()), code: 4400 },
  { name: "a text frame", payload: () => "hello", code: 1003 },
  // ws answers a close frame with a reserved or unassigned status code with 1002.
  { name: "a close frame with reserved code 1005", payload: () => "", rawFrame: () => closeFrame(1005), code: 1002 },
  { name: "a close frame with out-of-range code 999", payload: () => "", rawFrame: () => closeFrame(999), code: 1002 },
  { name: "a close frame with unassigned code 2000", payload: () => "", rawFrame: () => closeFrame(2000), code: 1002 },
  { name: "a frame larger than maxMessageBytes", payload: () => new Uint8Array(MAX + 1), code: 1009 },
];

let h: SyncHarness;
let a: ProviderClient;
let b: ProviderClient;
let other: ProviderClient;
let expected = "";

beforeAll(async () => {
  h = await SyncHarness.start({ maxMessageBytes: MAX });
  a = await h.provider("alice", DOCS.one);
  b = await h.provider("bob", DOCS.one);
  other = await h.provider("bob", DOCS.two);
  a.text.insert(0, "Before. ");
  expected = "Before. ";
  await h.waitForStoredText(DOCS.one, expected);
});
afterAll(async () => {
  await h?.close();
});

describe("bad input closes only the connection that sent it", () => {
  it.each(cases)("$name -> close $code", async ({ payload, code, rawFrame }) => {
    const rowsBefore = (await h.updateRows(DOCS.one)).length;
    const bad = await h.raw("alice", DOCS.one);
    // Wait for the greeting, so the frame is handled by a loaded room, not buffered.
    await waitFor(() => bad.frames.length > 0, "the server's sync-step-1");
    if (rawFrame) (bad.ws as unknown as { _socket: import("node:net").Socket })._socket.write(rawFrame());
    else bad.send(payload());
    const closed = await bad.closed;
    expect(closed.code).toBe(code);
    if (code !== 1009 && code !== 1002) {
      expect(closed.reason.length).toBeGreaterThan(0);
      expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
    }

    // Everyone else, in this room and in another, still edits and syncs.
    const mark = `ok-${code}-${rowsBefore} `;
    b.text.insert(b.text.length, mark);
    expected += mark;
    await waitFor(() => a.text.toString() === expected, "alice to receive bob's edit");
    other.text.insert(0, "x");
    await h.waitForStoredText(DOCS.two, other.text.toString());
    await h.waitForStoredText(DOCS.one, expected);
    expect(a.text.toString()).not.toContain("must never appear");
    expect(await h.storedText(DOCS.one)).toBe(expected);
    expect((await h.updateRows(DOCS.one)).length).toBe(rowsBefore + 1);
    expect(h.sync.stats().rooms).toBe(2);
  });

  it("logged each refusal with its reason", () => {
    const refusals = h.logs.filter((l) => l.msg === "closing sync connection after bad input");
    expect(refusals.length).toBe(cases.filter((c) => c.code === 4400).length);
    expect(refusals.every((l) => l.level === "warn" && typeof l.fields?.reason === "string")).toBe(true);
  });
});
