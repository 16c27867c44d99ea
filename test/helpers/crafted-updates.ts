/**
 * Hand-written Yjs v1 updates that are well-formed but hostile: each is cheap to send and very
 * expensive (or impossible) for Yjs to apply. Measured with yjs 13.6.33 on the dev machine.
 */
import * as encoding from "lib0/encoding";

function build(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/**
 * `clients` one-character items, each from its own client id and each citing as its origin an
 * item of a client nobody has: all pending. 80,000 of them (0.96 MB) take Yjs 68 s to apply.
 */
export function pendingBomb(clients: number, firstClient = 200_000): Uint8Array {
  return build((e) => {
    encoding.writeVarUint(e, clients);
    for (let i = 0; i < clients; i++) {
      encoding.writeVarUint(e, 1); // structs
      encoding.writeVarUint(e, firstClient + i); // client
      encoding.writeVarUint(e, 0); // clock
      encoding.writeUint8(e, 0x80 | 4); // item with origin, ContentString
      encoding.writeVarUint(e, 999_999); // origin client: unknown
      encoding.writeVarUint(e, 5); // origin clock
      encoding.writeVarString(e, "x");
    }
    encoding.writeVarUint(e, 0); // empty delete set
  });
}

/** `ranges` deletions of content nobody has: Yjs re-tries all of them on every later update. */
export function pendingDeletes(ranges: number): Uint8Array {
  return build((e) => {
    encoding.writeVarUint(e, 0); // no structs
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 4242); // unknown client
    encoding.writeVarUint(e, ranges);
    for (let i = 0; i < ranges; i++) {
      encoding.writeVarUint(e, i * 2);
      encoding.writeVarUint(e, 1);
    }
  });
}

/** `count` items of one client alternating between two root maps, so none merge (~0.6 s for 100,000). */
export function manyStructs(count: number, client = 42): Uint8Array {
  return build((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, count);
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, 0);
    for (let i = 0; i < count; i++) {
      encoding.writeUint8(e, 8); // ContentAny, parent named
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, i % 2 ? "a" : "b");
      encoding.writeVarUint(e, 1);
      encoding.writeUint8(e, 125); // varint
      encoding.writeVarUint(e, i & 63);
    }
    encoding.writeVarUint(e, 0);
  });
}

/** A value nested `depth` arrays deep: lib0 reads it recursively until the stack overflows. */
export function deepNesting(depth: number): Uint8Array {
  return build((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 3);
    encoding.writeVarUint(e, 0);
    encoding.writeUint8(e, 8);
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, "arr");
    encoding.writeVarUint(e, 1);
    for (let i = 0; i < depth; i++) {
      encoding.writeUint8(e, 117);
      encoding.writeVarUint(e, 1);
    }
    encoding.writeUint8(e, 126);
    encoding.writeVarUint(e, 0);
  });
}

/** The run-length bomb from yjs issue 687 (a v2 update), as raw bytes. */
export const ISSUE_687_BYTES = new Uint8Array(Buffer.from("00010000000001000100010200001602000001fdffffffff7f0000", "hex"));
