/**
 * Hardening 9: an update crafted to make Yjs loop, allocate or grind (yjs issue 687 and its
 * relatives) cannot stall the other rooms for more than a second: the server walks every update
 * in time proportional to its size and refuses it before Yjs sees it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deepNesting,
  ISSUE_687_BYTES,
  manyStructs,
  pendingBomb,
  pendingDeletes,
} from "../helpers/crafted-updates";
import { DOCS, SyncHarness, syncUpdateFrame, waitFor, type ProviderClient } from "../helpers/sync-harness";

let h: SyncHarness;
let alice: ProviderClient;
let bob: ProviderClient;
let otherAlice: ProviderClient;
let otherBob: ProviderClient;

beforeAll(async () => {
  h = await SyncHarness.start();
  alice = await h.provider("alice", DOCS.one);
  bob = await h.provider("bob", DOCS.one);
  otherAlice = await h.provider("alice", DOCS.two);
  otherBob = await h.provider("bob", DOCS.two);
  alice.text.insert(0, "Agreed text. ");
  await h.waitForStoredText(DOCS.one, "Agreed text. ");
});
afterAll(async () => {
  await h?.close();
});

/** Time for an edit in the other room to reach the other person there. */
async function otherRoomRoundTrip(mark: string): Promise<number> {
  const started = performance.now();
  otherBob.text.insert(otherBob.text.length, mark);
  await waitFor(() => otherAlice.text.toString().includes(mark), `the other room to deliver ${mark}`, 30_000);
  return performance.now() - started;
}

/** `pendingRows`: rows of pending content the room may store before its 64 KiB cap refuses more. */
const cases: { name: string; frames: () => Uint8Array[]; pendingRows?: number }[] = [
  // Without the guard: 68 s of Yjs on the event loop.
  { name: "80,000 clients' items, each citing an item nobody has (0.96 MB)", frames: () => [pendingBomb(80_000)] },
  // Within the client cap, but each would be pending; repeated, Yjs re-merges them all each time.
  {
    name: "ten updates of 1,900 pending items each",
    frames: () => Array.from({ length: 10 }, (_, i) => pendingBomb(1_900, 300_000 + i * 2_000)),
  },
  // Each under the per-update limit, together far over it.
  {
    name: "forty updates of 400 pending items each, sent back to back",
    frames: () => Array.from({ length: 40 }, (_, i) => pendingBomb(400, 500_000 + i * 500)),
    // One per event-loop turn until the room holds 64 KiB pending (about 5 KiB each).
    pendingRows: 14,
  },
  // Without the guard every later update in the room pays 15-35 ms to retry these.
  { name: "100,000 deletions of content nobody has", frames: () => [pendingDeletes(100_000)] },
  { name: "100,000 unmergeable structs in one update", frames: () => [manyStructs(100_000)] },
  { name: "a value nested 100,000 arrays deep", frames: () => [deepNesting(100_000)] },
  { name: "the run-length bomb bytes of yjs issue 687", frames: () => [ISSUE_687_BYTES] },
];

describe("crafted updates cannot stall other rooms", () => {
  it.each(cases)("$name: refused (4400), other rooms answer within a second, nothing visible stored", async ({ name, frames, pendingRows = 0 }) => {
    const rowsBefore = (await h.updateRows(DOCS.one)).length;
    const textBefore = await h.storedText(DOCS.one);
    const attacker = await h.raw("alice", DOCS.one);
    await waitFor(() => attacker.frames.length > 0, "the server's greeting");
    for (const f of frames()) attacker.send(syncUpdateFrame(f));
    // The other room is asked to deliver an edit in the same instant.
    const roundTrip = await otherRoomRoundTrip(`[${name.length}]`);
    const closed = await attacker.closed;
    expect(closed.code).toBe(4400);
    expect(roundTrip).toBeLessThan(1000);
    // Nothing of it is visible; at most some pending content, within the room's cap, was stored.
    expect(await h.storedText(DOCS.one)).toBe(textBefore);
    expect((await h.updateRows(DOCS.one)).length).toBeLessThanOrEqual(rowsBefore + pendingRows);
    // The attacked room itself still works.
    const mark = `ok${rowsBefore} `;
    bob.text.insert(bob.text.length, mark);
    await waitFor(() => alice.text.toString().endsWith(mark), "alice to receive bob's edit");
  }, 60_000);
});
