import { z } from "zod";
import type { DB } from "../../../db/connection";
import { inTransaction, nowIso } from "../../../db/connection";
import { deleteGuestSessionsOfWorkshop } from "../../../db/queries/sessions";
import { agendaItems, closeOpenVotes, findOtherLockHolder, updateWorkshop, type TimerState } from "../../../db/queries/workshops";
import { closeOpenPolls } from "../../../db/queries/workshop-polls";
import { addTime, pauseTimer, resetTimer, startTimer } from "../../workshops/timer";
import { DomainError } from "../errors";
import {
  actorUserId,
  audit,
  bumpVersion,
  ensureParticipant,
  recheck,
  requireItem,
  type Trx,
  type WorkshopAccess,
  type WorkshopChange,
} from "./access";

function timerOf(w: { timer_total_ms: number; timer_remaining_ms: number; timer_started_at: number | null }): TimerState {
  return { totalMs: w.timer_total_ms, remainingMs: w.timer_remaining_ms, startedAt: w.timer_started_at };
}

function timerColumns(t: TimerState) {
  return { timer_total_ms: t.totalMs, timer_remaining_ms: t.remainingMs, timer_started_at: t.startedAt };
}

function requireLive(status: string): void {
  if (status === "scheduled") throw new DomainError(409, "Start the session first: the room follows the agenda once it is live.");
}

export async function startSession(db: DB, access: WorkshopAccess): Promise<WorkshopChange> {
  await inTransaction(db, async (trx) => {
    const fresh = await recheck(trx, access, "workshop:run");
    if (fresh.workshop.status !== "scheduled") throw new DomainError(409, "The session has already started.");
    const [first] = await agendaItems(trx, access.workshop.id);
    if (!first) throw new DomainError(409, "Add at least one agenda item before starting the session.");
    await updateWorkshop(trx, access.workshop.id, {
      status: "live",
      started_at: nowIso(),
      current_item_id: first.id,
      ...timerColumns(resetTimer(first.time_box_minutes * 60_000)),
    });
    await ensureParticipant(trx, { ...fresh, workshop: { ...fresh.workshop, status: "live" } });
    await audit(trx, access, "workshop.started");
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: "The session has started.", parts: ["control", "participants"] };
}

export const GoToInput = z.union([
  z.object({ itemId: z.coerce.number().int().positive() }),
  z.object({ direction: z.enum(["next", "previous"]) }),
]);

/** Moves the room to an item; its time box is loaded into the timer, ready to start (or started, with time boxes on). */
export async function goToItem(db: DB, access: WorkshopAccess, input: z.infer<typeof GoToInput>): Promise<WorkshopChange> {
  let title = "";
  await inTransaction(db, async (trx) => {
    const fresh = await recheck(trx, access, "workshop:run");
    requireLive(fresh.workshop.status);
    let target: { id: number; title: string; time_box_minutes: number };
    if ("itemId" in input) {
      target = await requireItem(trx, access.workshop.id, input.itemId);
    } else {
      const items = await agendaItems(trx, access.workshop.id);
      const index = items.findIndex((i) => i.id === fresh.workshop.current_item_id);
      const next = input.direction === "next" ? index + 1 : index - 1;
      if (next >= items.length) throw new DomainError(409, "This is the last agenda item. Close the workshop when the room is done.");
      if (next < 0) throw new DomainError(409, "This is the first agenda item.");
      target = items[next]!;
    }
    title = target.title;
    const boxed = resetTimer(target.time_box_minutes * 60_000);
    const timer = fresh.workshop.auto_start_timer === 1 ? startTimer(boxed, Date.now()) : boxed;
    await updateWorkshop(trx, access.workshop.id, { current_item_id: target.id, ...timerColumns(timer) });
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: `The room moved to “${title}”.`, parts: ["control"] };
}

export const TimerInput = z.discriminatedUnion("timer", [
  z.object({ timer: z.literal("start") }),
  z.object({ timer: z.literal("pause") }),
  z.object({ timer: z.literal("reset") }),
  z.object({
    timer: z.literal("add"),
    minutes: z.coerce
      .number({ invalid_type_error: "Give the time to add in minutes." })
      .int("Add whole minutes.")
      .min(-60, "Take off at most 60 minutes at a time.")
      .max(60, "Add at most 60 minutes at a time.")
      .refine((m) => m !== 0, "Add at least one minute."),
  }),
]);

export async function changeTimer(db: DB, access: WorkshopAccess, input: z.infer<typeof TimerInput>): Promise<WorkshopChange> {
  let summary = "";
  await inTransaction(db, async (trx) => {
    const fresh = await recheck(trx, access, "workshop:run");
    requireLive(fresh.workshop.status);
    const w = fresh.workshop;
    const now = Date.now();
    let timer = timerOf(w);
    switch (input.timer) {
      case "start":
        timer = startTimer(timer, now);
        summary = "The timer is running.";
        break;
      case "pause":
        timer = pauseTimer(timer, now);
        summary = "The timer is paused.";
        break;
      case "reset": {
        const item = w.current_item_id ? await requireItem(trx, w.id, w.current_item_id) : null;
        timer = resetTimer((item?.time_box_minutes ?? 0) * 60_000);
        summary = "The timer is back to the item's time box.";
        break;
      }
      case "add":
        timer = addTime(timer, input.minutes * 60_000);
        summary = input.minutes > 0 ? `Added ${input.minutes} minute${input.minutes === 1 ? "" : "s"}.` : `Took off ${-input.minutes} minute${input.minutes === -1 ? "" : "s"}.`;
        break;
    }
    await updateWorkshop(trx, w.id, timerColumns(timer));
    await bumpVersion(trx, w.id);
  });
  return { workshopId: access.workshop.id, summary, parts: ["control"] };
}

export async function setPlanLock(db: DB, access: WorkshopAccess, locked: boolean): Promise<WorkshopChange> {
  await inTransaction(db, async (trx: Trx) => {
    const fresh = await recheck(trx, access, "workshop:run");
    if ((fresh.workshop.plan_locked === 1) === locked) {
      throw new DomainError(409, locked ? "Editing of the plan is already locked." : "Editing of the plan is not locked.");
    }
    if (locked) {
      const other = await findOtherLockHolder(trx, fresh.workshop.plan_id, fresh.workshop.id);
      if (other) throw new DomainError(409, `The workshop “${other.title}” already holds this plan's lock.`);
    }
    await updateWorkshop(trx, fresh.workshop.id, { plan_locked: locked ? 1 : 0, locked_by: locked ? actorUserId(access) : null, locked_at: locked ? nowIso() : null });
    await audit(trx, access, locked ? "workshop.plan_locked" : "workshop.plan_unlocked", { planId: fresh.workshop.plan_id });
    await bumpVersion(trx, fresh.workshop.id);
  });
  return {
    workshopId: access.workshop.id,
    summary: locked
      ? "Editing of the plan is locked: partners can read it but only facilitators change it until it is unlocked."
      : "Editing of the plan is unlocked.",
    parts: ["control"],
    lockChangedOnPlan: access.workshop.plan_id,
  };
}

/**
 * Ends the session: the plan is unlocked, an open vote closes, guests' sessions end (their
 * code stops working), and the record is fixed from here on.
 */
export async function closeWorkshop(db: DB, access: WorkshopAccess): Promise<WorkshopChange> {
  let wasLocked = false;
  await inTransaction(db, async (trx) => {
    const fresh = await recheck(trx, access, "workshop:run");
    wasLocked = fresh.workshop.plan_locked === 1;
    const now = nowIso();
    const timer = pauseTimer(timerOf(fresh.workshop), Date.now());
    await updateWorkshop(trx, fresh.workshop.id, { status: "closed", closed_at: now, closed_by: actorUserId(access), plan_locked: 0, ...timerColumns(timer) });
    await closeOpenVotes(trx, fresh.workshop.id, now);
    await closeOpenPolls(trx, fresh.workshop.id, now);
    await deleteGuestSessionsOfWorkshop(trx, fresh.workshop.id);
    await audit(trx, access, "workshop.closed");
    await bumpVersion(trx, fresh.workshop.id);
  });
  return {
    workshopId: access.workshop.id,
    summary: "The workshop is closed. Its record is ready; guest access has ended.",
    parts: ["control", "votes", "polls"],
    closed: true,
    lockChangedOnPlan: wasLocked ? access.workshop.plan_id : undefined,
  };
}
