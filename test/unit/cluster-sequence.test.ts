import { describe, expect, it } from "vitest";
import { UpdateSequence } from "../../server/cluster/sequence";

describe("which stored updates a clustered room holds", () => {
  it("advances through contiguous updates, whatever the gaps between ids of one document", () => {
    const s = new UpdateSequence(10);
    s.add(10, 14);
    s.add(14, 15);
    expect(s.watermark).toBe(15);
    expect(s.gaps).toBe(0);
    expect(s.has(12)).toBe(true);
  });

  it("holds an update that arrived before the one stored ahead of it, and closes the gap when that one comes", () => {
    const s = new UpdateSequence(10);
    // This node committed 21 (after 20) before it read node B's 20 (after 10) from Redis.
    s.add(20, 21);
    expect(s.watermark).toBe(10);
    expect(s.gaps).toBe(1);
    expect(s.has(21)).toBe(true);
    expect(s.has(20)).toBe(false);
    s.add(10, 20);
    expect(s.watermark).toBe(21);
    expect(s.gaps).toBe(0);
  });

  it("counts a catch-up from the database as holding everything up to the last row read", () => {
    const s = new UpdateSequence(10);
    s.add(30, 31);
    s.add(40, 41);
    s.caughtUp(35);
    expect(s.watermark).toBe(35);
    expect(s.gaps).toBe(1);
    s.caughtUp(41);
    expect(s.watermark).toBe(41);
    expect(s.gaps).toBe(0);
    // Entries Redis delivers late are known and skipped.
    expect(s.has(31)).toBe(true);
    s.add(30, 31);
    expect(s.watermark).toBe(41);
  });
});
