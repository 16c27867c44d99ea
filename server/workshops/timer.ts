/**
 * The shared countdown as data, in server time (epoch ms). Pure functions: the server changes the
 * stored state with them, and every page computes the same remaining time from the same state
 * and its estimate of the server's clock. Remaining time goes negative when a time box overruns.
 */
import type { TimerState } from "../../db/queries/workshops";

export const MAX_TIMER_MS = 8 * 60 * 60 * 1000;

export function isRunning(timer: TimerState): boolean {
  return timer.startedAt !== null;
}

export function remainingAt(timer: TimerState, serverNow: number): number {
  if (timer.startedAt === null) return timer.remainingMs;
  // A page whose clock estimate is a few ms behind the server must not show more than was left.
  return timer.remainingMs - Math.max(0, serverNow - timer.startedAt);
}

export function resetTimer(totalMs: number): TimerState {
  return { totalMs, remainingMs: totalMs, startedAt: null };
}

export function startTimer(timer: TimerState, serverNow: number): TimerState {
  if (isRunning(timer)) return timer;
  return { ...timer, startedAt: serverNow };
}

export function pauseTimer(timer: TimerState, serverNow: number): TimerState {
  if (!isRunning(timer)) return timer;
  return { ...timer, remainingMs: remainingAt(timer, serverNow), startedAt: null };
}

/** Adds time to the current time box (running or paused), keeping it within 8 hours. */
export function addTime(timer: TimerState, ms: number): TimerState {
  const remainingMs = Math.min(timer.remainingMs + ms, MAX_TIMER_MS);
  const added = remainingMs - timer.remainingMs;
  return { ...timer, remainingMs, totalMs: Math.min(timer.totalMs + added, MAX_TIMER_MS) };
}

/** "12:05" for time left; "0:00" once it is up (the overrun is said separately). */
export function formatClock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

/** For screen readers and the page text: "12 minutes 5 seconds left" / "time is up, 1:20 over". */
export function describeTimer(ms: number, running: boolean): string {
  if (ms <= 0) return `Time is up${ms < 0 ? `, ${formatClock(-ms)} over` : ""}.`;
  const seconds = Math.ceil(ms / 1000);
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  const parts = [m ? `${m} minute${m === 1 ? "" : "s"}` : "", s ? `${s} second${s === 1 ? "" : "s"}` : ""].filter(Boolean);
  return `${parts.join(" ")} left${running ? "" : " (paused)"}.`;
}
