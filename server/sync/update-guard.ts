/**
 * Reads a Yjs v1 update completely, without Yjs, before any of it reaches a document: a walk that
 * does a bounded amount of work per byte and allocates nothing in proportion to a declared count.
 *
 * Why not `Y.decodeUpdate`: Yjs trusts the counts and lengths an update declares (yjs issue 687),
 * and some well-formed updates are very expensive to integrate. Measured with yjs 13.6.33: an
 * update of 80,000 one-character items from 80,000 client ids, each citing an item nobody has,
 * is 0.96 MB and takes Yjs 68 s to apply (its pending-struct handling is quadratic in the number
 * of clients); 100,000 deletions of unknown content then cost every later update 15-35 ms. The
 * walk below counts what an update would cost and what it would leave pending, so the caller can
 * refuse it in time proportional to its size, before Yjs sees it.
 */
import { ProtocolError } from "./protocol";

export interface UpdateLimits {
  /** Structs (items, GC and skip runs) in one update. */
  maxStructs: number;
  /** Distinct client ids in one update's structs or delete set. */
  maxClients: number;
  /** Nesting depth of `any` values (objects and arrays inside ContentAny). */
  maxAnyDepth: number;
}

export const DEFAULT_UPDATE_LIMITS: UpdateLimits = {
  // A pasted chapter of a plan is a few thousand structs; a client re-sending a whole large
  // document after a server restore is tens of thousands. Yjs integrates 50,000 unmergeable
  // structs in about 0.3 s here, so one update cannot hold the event loop near a second.
  maxStructs: 50_000,
  // One client id per browser session that ever edited the document, and a sync answer carries
  // only what the server lacks. Yjs's pending handling is quadratic in this number.
  maxClients: 2_000,
  maxAnyDepth: 64,
};

/** Clocks and lengths above this are not typing; they only serve to overflow arithmetic. */
const MAX_CLOCK = 2 ** 40;

export interface UpdateSummary {
  structs: number;
  deleteRanges: number;
  /** Per client: the clock range [start, end) of the structs in this update. */
  ranges: Map<number, { start: number; end: number }>;
  /**
   * Structs and delete ranges Yjs would have to keep pending because what they build on is
   * neither in `state` nor in this update. Approximate (one level of dependencies inside the
   * update), which is enough to bound pending growth.
   */
  pendingStructs: number;
  pendingDeleteRanges: number;
}

const textDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  uint8(): number {
    if (this.pos >= this.buf.length) throw new ProtocolError("document update is truncated");
    return this.buf[this.pos++];
  }

  varUint(): number {
    let num = 0;
    let mult = 1;
    for (let i = 0; i < 8; i++) {
      const r = this.uint8();
      num += (r & 0x7f) * mult;
      if (r < 0x80) {
        if (num > Number.MAX_SAFE_INTEGER) break;
        return num;
      }
      mult *= 128;
    }
    throw new ProtocolError("document update has an integer out of range");
  }

  varInt(): void {
    let r = this.uint8();
    for (let i = 0; r >= 0x80; i++) {
      if (i >= 8) throw new ProtocolError("document update has an integer out of range");
      r = this.uint8();
    }
  }

  skip(n: number): void {
    if (n > this.remaining) throw new ProtocolError("document update is truncated");
    this.pos += n;
  }

  bytes(): Uint8Array {
    const len = this.varUint();
    if (len > this.remaining) throw new ProtocolError("document update is truncated");
    const view = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return view;
  }

  string(): string {
    const bytes = this.bytes();
    if (bytes.length === 0) return "";
    try {
      return textDecoder.decode(bytes);
    } catch {
      throw new ProtocolError("document update has a string that is not UTF-8");
    }
  }

  json(): void {
    const s = this.string();
    try {
      JSON.parse(s);
    } catch {
      throw new ProtocolError("document update has content that is not JSON");
    }
  }

  clock(): number {
    const v = this.varUint();
    if (v > MAX_CLOCK) throw new ProtocolError("document update has a clock out of range");
    return v;
  }
}

/** lib0's `any` encoding, walked iteratively with a depth cap (lib0 itself recurses). */
function skipAny(r: Reader, maxDepth: number): void {
  // Each entry: how many values are still to be read at that depth (objects read a key first).
  const stack: { left: number; keyed: boolean }[] = [{ left: 1, keyed: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.left === 0) {
      stack.pop();
      continue;
    }
    top.left--;
    if (top.keyed) r.bytes();
    const type = r.uint8();
    switch (type) {
      case 127: // undefined
      case 126: // null
      case 121: // false
      case 120: // true
        break;
      case 125: // varint
        r.varInt();
        break;
      case 124: // float32
        r.skip(4);
        break;
      case 123: // float64
      case 122: // bigint64
        r.skip(8);
        break;
      case 119: // string
        r.string();
        break;
      case 116: // Uint8Array
        r.bytes();
        break;
      case 118: // object
      case 117: {
        // array
        const len = r.varUint();
        if (len > r.remaining) throw new ProtocolError("document update is truncated");
        if (len > 0) {
          if (stack.length >= maxDepth) throw new ProtocolError("document update nests values too deeply");
          stack.push({ left: len, keyed: type === 118 });
        }
        break;
      }
      default:
        throw new ProtocolError("document update has an unknown value type");
    }
  }
}

/**
 * Walks a v1 update. Throws ProtocolError (with a reason the client may be shown) when it is
 * malformed or over a limit. `state(client)` is the document's current clock for that client,
 * used to tell what the update would leave pending.
 */
export function inspectUpdate(
  update: Uint8Array,
  state: (client: number) => number,
  limits: UpdateLimits = DEFAULT_UPDATE_LIMITS,
): UpdateSummary {
  const r = new Reader(update);
  const ranges = new Map<number, { start: number; end: number }>();
  // Dependencies on other clients' structs, checked once every range in the update is known:
  // flat triples of (section index, client, clock).
  const refs: number[] = [];
  const sections: { client: number; start: number; count: number; gap: boolean }[] = [];
  let structs = 0;

  const numClients = r.varUint();
  if (numClients > limits.maxClients) {
    throw new ProtocolError(`document update names more than ${limits.maxClients} clients`);
  }
  for (let c = 0; c < numClients; c++) {
    const count = r.varUint();
    const client = r.varUint();
    let clock = r.clock();
    if (ranges.has(client)) throw new ProtocolError("document update repeats a client");
    structs += count;
    if (structs > limits.maxStructs) {
      throw new ProtocolError(`document update has more than ${limits.maxStructs} changes`);
    }
    const sectionIndex = sections.length;
    const start = clock;
    sections.push({ client, start, count, gap: start > state(client) });
    for (let i = 0; i < count; i++) {
      const info = r.uint8();
      const contentRef = info & 0x1f;
      let length: number;
      if (contentRef === 0 || contentRef === 10) {
        // GC or skip: a run of clocks with no content
        length = r.clock();
      } else {
        if (info & 0x80) {
          const oc = r.varUint();
          const ok = r.clock();
          if (oc !== client) refs.push(sectionIndex, oc, ok);
        }
        if (info & 0x40) {
          const rc = r.varUint();
          const rk = r.clock();
          if (rc !== client) refs.push(sectionIndex, rc, rk);
        }
        if ((info & 0xc0) === 0) {
          if (r.varUint() === 1) r.string();
          else {
            const pc = r.varUint();
            const pk = r.clock();
            if (pc !== client) refs.push(sectionIndex, pc, pk);
          }
          if (info & 0x20) r.string();
        }
        length = readContent(r, contentRef, limits);
      }
      clock += length;
      if (clock > MAX_CLOCK) throw new ProtocolError("document update has a clock out of range");
    }
    ranges.set(client, { start, end: clock });
  }

  // Delete set
  let deleteRanges = 0;
  let pendingDeleteRanges = 0;
  const dsClients = r.varUint();
  if (dsClients > limits.maxClients) {
    throw new ProtocolError(`document update names more than ${limits.maxClients} clients`);
  }
  for (let c = 0; c < dsClients; c++) {
    const client = r.varUint();
    const n = r.varUint();
    const known = Math.max(state(client), ranges.get(client)?.end ?? 0);
    for (let i = 0; i < n; i++) {
      const clock = r.clock();
      const len = r.clock();
      deleteRanges++;
      if (clock + len > known) pendingDeleteRanges++;
    }
  }
  if (r.remaining !== 0) throw new ProtocolError("document update has unexpected bytes at the end");

  // What would stay pending: sections that start past what the document has, and sections
  // holding a struct that builds on something neither the document nor this update has.
  const available = (client: number, clock: number) => {
    if (clock < state(client)) return true;
    const range = ranges.get(client);
    return range !== undefined && range.start <= state(client) && clock < range.end;
  };
  const pendingSection = sections.map((s) => s.gap);
  for (let i = 0; i < refs.length; i += 3) {
    if (!available(refs[i + 1], refs[i + 2])) pendingSection[refs[i]] = true;
  }
  let pendingStructs = 0;
  sections.forEach((s, i) => {
    if (pendingSection[i]) pendingStructs += s.count;
  });
  return { structs, deleteRanges, ranges, pendingStructs, pendingDeleteRanges };
}

/** Reads one item's content and returns its length in clock units, as Yjs counts it. */
function readContent(r: Reader, contentRef: number, limits: UpdateLimits): number {
  switch (contentRef) {
    case 1: // ContentDeleted
      return r.clock();
    case 2: {
      // ContentJSON
      const len = r.varUint();
      if (len > r.remaining) throw new ProtocolError("document update is truncated");
      for (let i = 0; i < len; i++) {
        const s = r.string();
        if (s !== "undefined") {
          try {
            JSON.parse(s);
          } catch {
            throw new ProtocolError("document update has content that is not JSON");
          }
        }
      }
      if (len === 0) throw new ProtocolError("document update has empty content");
      return len;
    }
    case 3: // ContentBinary
      r.bytes();
      return 1;
    case 4: {
      // ContentString: Yjs counts UTF-16 code units
      const s = r.string();
      if (s.length === 0) throw new ProtocolError("document update has empty content");
      return s.length;
    }
    case 5: // ContentEmbed
      r.json();
      return 1;
    case 6: // ContentFormat
      r.string();
      r.json();
      return 1;
    case 7: {
      // ContentType: YArray, YMap, YText, YXmlElement(name), YXmlFragment, YXmlHook(name), YXmlText
      const typeRef = r.varUint();
      if (typeRef > 6) throw new ProtocolError("document update has an unknown type");
      if (typeRef === 3 || typeRef === 5) r.string();
      return 1;
    }
    case 8: {
      // ContentAny
      const len = r.varUint();
      if (len === 0) throw new ProtocolError("document update has empty content");
      if (len > r.remaining) throw new ProtocolError("document update is truncated");
      for (let i = 0; i < len; i++) skipAny(r, limits.maxAnyDepth);
      return len;
    }
    case 9: // ContentDoc: guid, options
      r.string();
      skipAny(r, limits.maxAnyDepth);
      return 1;
    default:
      throw new ProtocolError("document update has an unknown content type");
  }
}
