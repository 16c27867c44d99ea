import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { initialContentUpdate } from "../../server/documents/lexical-content";
import { ProtocolError } from "../../server/sync/protocol";
import { inspectUpdate } from "../../server/sync/update-guard";

/** Updates of every content type Yjs writes, as clients produce them. */
function sampleUpdates(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const doc = new Y.Doc();
  doc.on("update", (u: Uint8Array) => out.push(u));
  const text = doc.getText("t");
  text.insert(0, "Hello wörld 👋 ");
  text.format(0, 5, { bold: true });
  text.insertEmbed(3, { image: "x.png" });
  text.delete(2, 3);
  const map = doc.getMap("m");
  map.set("n", 1.5);
  map.set("big", 2n ** 40n);
  map.set("obj", { a: [1, "two", null, true, { deep: new Uint8Array([1, 2]) }] });
  map.set("bin", new Uint8Array([9, 8, 7]));
  map.set("undef", undefined);
  const arr = doc.getArray("a");
  arr.insert(0, [1, 2, 3, "x"]);
  arr.insert(1, [new Y.Map(), new Y.Text("inner")]);
  arr.delete(0, 2);
  const xml = doc.getXmlFragment("x");
  const el = new Y.XmlElement("p");
  el.setAttribute("class", "lead");
  el.insert(0, [new Y.XmlText("para")]);
  xml.insert(0, [el, new Y.XmlHook("hook") as unknown as Y.XmlElement]);
  map.set("sub", new Y.Doc({ guid: "sub-doc" }));
  out.push(Y.encodeStateAsUpdate(doc));
  out.push(initialContentUpdate(["First paragraph.", "Second, with some more words."]));
  doc.destroy();
  return out;
}

/** Per client, the end of the clock range Yjs itself decodes from the update. */
function rangesFromYjs(update: Uint8Array): Map<number, number> {
  const ends = new Map<number, number>();
  for (const s of Y.decodeUpdate(update).structs) {
    ends.set(s.id.client, Math.max(ends.get(s.id.client) ?? 0, s.id.clock + s.length));
  }
  return ends;
}

describe("inspectUpdate", () => {
  it("accepts every kind of update Yjs writes and reads the same clock ranges as Yjs", () => {
    for (const update of sampleUpdates()) {
      const summary = inspectUpdate(update, () => 0);
      const ends = new Map([...summary.ranges].map(([client, r]) => [client, r.end]));
      expect(ends).toEqual(rangesFromYjs(update));
    }
  });

  it("refuses every truncation of a valid update, without looping", () => {
    for (const update of sampleUpdates()) {
      for (let cut = 0; cut < update.length; cut++) {
        expect(() => inspectUpdate(update.subarray(0, cut), () => 0)).toThrow(ProtocolError);
      }
    }
  });

  it("refuses trailing bytes, unknown content, deep nesting and out-of-range values", () => {
    const valid = sampleUpdates()[0];
    expect(() => inspectUpdate(Uint8Array.from([...valid, 0]), () => 0)).toThrow(/unexpected bytes/);
    const enc = encoding.createEncoder();
    const w = (n: number) => encoding.writeVarUint(enc, n);
    // one client, one struct with content type 12
    w(1), w(1), w(7), w(0), encoding.writeUint8(enc, 12), w(1), encoding.writeVarString(enc, "t"), w(0);
    expect(() => inspectUpdate(encoding.toUint8Array(enc), () => 0)).toThrow(/unknown content/);

    const deep = encoding.createEncoder();
    const d = (n: number) => encoding.writeVarUint(deep, n);
    d(1), d(1), d(7), d(0), encoding.writeUint8(deep, 8), d(1), encoding.writeVarString(deep, "m"), d(1);
    for (let i = 0; i < 1000; i++) encoding.writeUint8(deep, 117), d(1);
    encoding.writeUint8(deep, 126), d(0);
    expect(() => inspectUpdate(encoding.toUint8Array(deep), () => 0)).toThrow(/too deeply/);

    const clock = encoding.createEncoder();
    encoding.writeVarUint(clock, 1), encoding.writeVarUint(clock, 1), encoding.writeVarUint(clock, 7);
    encoding.writeVarUint(clock, 2 ** 50), encoding.writeUint8(clock, 0), encoding.writeVarUint(clock, 1), encoding.writeVarUint(clock, 0);
    expect(() => inspectUpdate(encoding.toUint8Array(clock), () => 0)).toThrow(/out of range/);
  });

  it("refuses more structs or clients than the limits, reading no further than it must", () => {
    const updates: Uint8Array[] = [];
    for (let i = 0; i < 30; i++) {
      const doc = new Y.Doc();
      doc.getText("t").insert(0, "x");
      updates.push(Y.encodeStateAsUpdate(doc));
    }
    const merged = Y.mergeUpdates(updates);
    expect(() => inspectUpdate(merged, () => 0, { maxStructs: 100, maxClients: 20, maxAnyDepth: 8 })).toThrow(/more than 20 clients/);
    expect(() => inspectUpdate(merged, () => 0, { maxStructs: 10, maxClients: 100, maxAnyDepth: 8 })).toThrow(/more than 10 changes/);
    expect(inspectUpdate(merged, () => 0).structs).toBe(30);
  });

  it("counts what Yjs would have to keep pending: a gap, or an origin nobody has", () => {
    const a = new Y.Doc();
    const first: Uint8Array[] = [];
    a.on("update", (u: Uint8Array) => first.push(u));
    a.getText("t").insert(0, "abc");
    a.getText("t").insert(3, "def");
    const state = (doc: Y.Doc) => (client: number) => Y.getState(doc.store, client);

    const empty = new Y.Doc();
    // The second update builds on the first: pending for a doc that lacks the first.
    expect(inspectUpdate(first[1], state(empty)).pendingStructs).toBe(1);
    expect(inspectUpdate(first[0], state(empty)).pendingStructs).toBe(0);
    Y.applyUpdate(empty, first[0]);
    expect(inspectUpdate(first[1], state(empty)).pendingStructs).toBe(0);

    // Another client's insert after "def", for a doc that has only "abc".
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const before = Y.encodeStateVector(b);
    b.getText("t").insert(6, "!");
    const fromB = Y.encodeStateAsUpdate(b, before);
    const onlyAbc = new Y.Doc();
    Y.applyUpdate(onlyAbc, first[0]);
    expect(inspectUpdate(fromB, state(onlyAbc)).pendingStructs).toBe(1);
    expect(inspectUpdate(fromB, state(a)).pendingStructs).toBe(0);

    // Deleting content nobody has yet is pending too.
    const del = new Y.Doc();
    Y.applyUpdate(del, Y.encodeStateAsUpdate(a));
    const sv = Y.encodeStateVector(del);
    del.getText("t").delete(4, 2);
    const deletion = Y.encodeStateAsUpdate(del, sv);
    expect(inspectUpdate(deletion, state(onlyAbc)).pendingDeleteRanges).toBe(1);
    expect(inspectUpdate(deletion, state(a)).pendingDeleteRanges).toBe(0);
  });

  it("refuses the crafted bytes of yjs issue 687 at once", () => {
    const crafted = Buffer.from("00010000000001000100010200001602000001fdffffffff7f0000", "hex");
    const started = performance.now();
    expect(() => inspectUpdate(new Uint8Array(crafted), () => 0)).toThrow(ProtocolError);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
