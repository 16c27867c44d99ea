import { useEffect, useRef, useState } from "react";
import type { TimerState } from "../../../db/queries/workshops";
import { formatClock, isRunning, remainingAt } from "../../../server/workshops/timer";
import type { ServerClock } from "./useWorkshopLive";

/**
 * The shared countdown. Every page computes it from the same server state and its estimate of
 * the server's clock, so all screens agree; a reload shows the same time, not a restart.
 */
export function Timer({ timer, clock, itemTitle }: { timer: TimerState; clock: ServerClock; itemTitle: string }) {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    setNow(clock.now());
    const id = setInterval(() => setNow(clock.now()), 200);
    return () => clearInterval(id);
  }, [clock]);
  const remaining = remainingAt(timer, now);
  const running = isRunning(timer);
  const over = remaining <= 0 && timer.totalMs > 0;

  // Spoken at a few moments only; a ticking live region would drown everything else.
  const [spoken, setSpoken] = useState("");
  const last = useRef(remaining);
  useEffect(() => {
    const before = last.current;
    last.current = remaining;
    if (!running) return;
    if (before > 60_000 && remaining <= 60_000 && remaining > 0) setSpoken(`One minute left on ${itemTitle}.`);
    if (before > 0 && remaining <= 0) setSpoken(`Time is up on ${itemTitle}.`);
  }, [remaining, running, itemTitle]);

  return (
    <div className={`timer${over ? " timer--over" : ""}`} data-testid="timer" data-running={running ? "true" : "false"}>
      <span className="timer__label">Time left</span>
      <span className="timer__clock" role="timer" aria-label="Time left on this item" suppressHydrationWarning data-testid="timer-clock">
        {formatClock(remaining)}
      </span>
      <span className="timer__state" suppressHydrationWarning>
        {timer.totalMs === 0
          ? "No time box"
          : over
            ? `Time is up · ${formatClock(-remaining)} over`
            : running
              ? `Running · of ${formatClock(timer.totalMs)}`
              : `Paused · of ${formatClock(timer.totalMs)}`}
      </span>
      <span className="visually-hidden" role="status" aria-live="polite">
        {spoken}
      </span>
    </div>
  );
}
