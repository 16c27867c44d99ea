import { describe, expect, it } from "vitest";
import { rankResults, type WorkshopSnapshot } from "../../db/queries/workshops";
import { addTime, describeTimer, formatClock, pauseTimer, remainingAt, resetTimer, startTimer } from "../../server/workshops/timer";
import { normaliseGuestCode, formatGuestCode } from "../../server/workshops/guest-code";
import { fromSnapshot, reduceLive, ServerClock } from "../../app/components/workshop/useWorkshopLive";

describe("the shared countdown", () => {
  const t0 = 1_700_000_000_000;

  it("counts down from the server time it started at, whoever computes it", () => {
    const running = startTimer(resetTimer(10 * 60_000), t0);
    expect(remainingAt(running, t0)).toBe(600_000);
    expect(remainingAt(running, t0 + 61_000)).toBe(539_000);
    // A page whose clock estimate lags the server a little never shows more than the time box.
    expect(remainingAt(running, t0 - 40)).toBe(600_000);
    // A page reloaded later computes the same figure from the same state.
    expect(remainingAt(JSON.parse(JSON.stringify(running)), t0 + 61_000)).toBe(539_000);
  });

  it("pauses keeping the time left, and resumes from it", () => {
    const paused = pauseTimer(startTimer(resetTimer(600_000), t0), t0 + 100_000);
    expect(paused.startedAt).toBeNull();
    expect(remainingAt(paused, t0 + 900_000)).toBe(500_000);
    const resumed = startTimer(paused, t0 + 900_000);
    expect(remainingAt(resumed, t0 + 910_000)).toBe(490_000);
    expect(startTimer(resumed, t0 + 999_999)).toBe(resumed);
  });

  it("adds (or takes off) time while running or paused, and overruns below zero", () => {
    const running = addTime(startTimer(resetTimer(60_000), t0), 5 * 60_000);
    expect(running.totalMs).toBe(360_000);
    expect(remainingAt(running, t0 + 30_000)).toBe(330_000);
    expect(remainingAt(running, t0 + 400_000)).toBe(-40_000);
    expect(addTime(resetTimer(60_000), -60_000).remainingMs).toBe(0);
  });

  it("shows minutes and seconds, and says when time is up", () => {
    expect(formatClock(725_000)).toBe("12:05");
    expect(formatClock(500)).toBe("0:01");
    expect(formatClock(-3000)).toBe("0:00");
    expect(describeTimer(61_000, true)).toBe("1 minute 1 second left.");
    expect(describeTimer(-80_000, true)).toBe("Time is up, 1:20 over.");
  });
});

describe("vote results", () => {
  it("ranks by count, ties sharing a rank, in option order", () => {
    const options = [1, 2, 3, 4].map((id) => ({ id, label: `o${id}` }));
    const ranked = rankResults(options, new Map([[1, 2], [2, 5], [3, 2]]));
    expect(ranked.map((r) => [r.optionId, r.count, r.rank])).toEqual([
      [2, 5, 1],
      [1, 2, 2],
      [3, 2, 2],
      [4, 0, 4],
    ]);
  });
});

describe("guest codes", () => {
  it("reads a code however it is typed", () => {
    expect(normaliseGuestCode(" kq7m-2xda ")).toBe("KQ7M2XDA");
    expect(formatGuestCode("KQ7M2XDA")).toBe("KQ7M-2XDA");
  });
});

describe("the page's copy of the live state", () => {
  const snapshot = (version: number, itemId: number): WorkshopSnapshot => ({
    version,
    control: { status: "live", currentItemId: itemId, timer: { totalMs: 0, remainingMs: 0, startedAt: null }, planLocked: false, anonymousIdeas: false, autoStartTimer: false },
    agenda: [],
    boards: [],
    votes: [],
    polls: [],
    decisions: [],
    participants: [],
    mine: { participantId: 1, dots: {}, answers: {} },
  });

  it("keeps the newest version of each part, whatever order they arrive in", () => {
    let s = fromSnapshot(snapshot(5, 1));
    s = reduceLive(s, { type: "control", version: 7, data: { ...s.control, currentItemId: 3 } });
    // An older control (sent before) arriving late is ignored.
    s = reduceLive(s, { type: "control", version: 6, data: { ...s.control, currentItemId: 2 } });
    expect(s.control.currentItemId).toBe(3);
    // An older snapshot (a slow loader) does not take the page back either.
    s = reduceLive(s, { type: "snapshot", version: 6, data: snapshot(6, 2) });
    expect(s.control.currentItemId).toBe(3);
    s = reduceLive(s, { type: "snapshot", version: 8, data: snapshot(8, 4) });
    expect(s.control.currentItemId).toBe(4);
  });

  it("replaces one item's board without touching the others", () => {
    let s = fromSnapshot({ ...snapshot(1, 1), boards: [{ itemId: 1, ideas: [], groups: [] }, { itemId: 2, ideas: [], groups: [] }] });
    const idea = { id: 9, text: "x", participantId: 1, byLabel: "Guest", edited: null, groupId: null, merged: [], capturing: false, captured: null };
    s = reduceLive(s, { type: "board", version: 2, data: { itemId: 2, ideas: [idea], groups: [] } });
    expect(s.boards[2]!.ideas).toHaveLength(1);
    expect(s.boards[1]!.ideas).toHaveLength(0);
  });
});

describe("the page's estimate of the server clock", () => {
  it("takes the least delayed sample as the offset", () => {
    const clock = new ServerClock();
    const now = Date.now();
    clock.sample(now + 5_000 - 40); // delayed 40 ms in transit
    clock.sample(now + 5_000 - 2); // delayed 2 ms
    clock.sample(now + 5_000 - 90);
    expect(clock.offset).toBeGreaterThanOrEqual(4_990);
    expect(clock.offset).toBeLessThanOrEqual(5_000);
    expect(Math.abs(clock.now() - (Date.now() + 5_000))).toBeLessThan(50);
  });
});
