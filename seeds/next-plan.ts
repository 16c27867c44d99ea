/**
 * The demo's current plan: 2026-27, started from the seeded 2022-23 partnership plan the way a
 * facilitator would ("Start the next plan from this one"), carrying a handful of its unfinished
 * actions. Their milestones are rescheduled around today, so the delivery board shows a realistic
 * mix of red, amber and green whenever the demo is started; the partners with a seeded editor
 * have re-confirmed their roles. The 2022-23 plan is then archived, as its facilitator would at
 * the end of its year (the same operation, so it leaves the same audit row). Runs once: skipped
 * when the plan exists.
 */
import type { Kysely } from "kysely";
import * as Y from "yjs";
import { inTransaction, nowIso } from "../db/connection";
import type { Database } from "../db/schema";
import { addDays, todayInLondon } from "../server/accountability/dates";
import { setGrant } from "../server/domain/admin";
import { setArchived, startNextPlan, unfinishedActions } from "../server/domain/plan-cycle";
import { insertOwnershipHistory, listActionOwners, updateActionOwner } from "../db/queries/action-owners";
import { insertMilestoneChange, insertProgressUpdate, milestonesOfAction, setMilestoneDueDate } from "../db/queries/delivery";
import { documentUpdateBlobs } from "../db/queries/documents";
import { listPlanPriorities } from "../db/queries/plan-cycle";
import { organisationGrantsOfPlan, personalGrantsOfPlan } from "../db/queries/plan-grants";
import { findPlanStartedFrom, planExists, setPlanPeriod } from "../db/queries/plans";
import * as data from "./data";

export const PREVIOUS_PLAN_ID = "lets-do-it-action-plan";
export const NEXT_PLAN_TITLE = "Let's Do It! partnership action plan 2026-27";
const CARRIED = 9;


export async function seedNextPlan(db: Kysely<Database>, userIds: Map<string, number>): Promise<void> {
  if (await findPlanStartedFrom(db, PREVIOUS_PLAN_ID)) return;
  const previous = await planExists(db, PREVIOUS_PLAN_ID);
  const facilitator = data.users.find((u) => u.systemRole === "facilitator");
  if (!previous || !facilitator) return;
  const actor = { userId: userIds.get(facilitator.email)!, organisationId: facilitator.organisationId, systemRole: "facilitator" as const };
  await setPlanPeriod(db, [PREVIOUS_PLAN_ID, "corporate-plan-delivery-2022-23"], "2022-04-01", "2023-03-31");

  const priorities = await listPlanPriorities(db, PREVIOUS_PLAN_ID);
  const unfinished = await unfinishedActions(db, PREVIOUS_PLAN_ID);
  const carry = new Set(unfinished.filter((a) => a.owners.some((o) => o.role === "lead")).slice(0, CARRIED).map((a) => a.id));
  const grants = await organisationGrantsOfPlan(db, PREVIOUS_PLAN_ID);
  // Nothing is open at seeding time: documents are read from their stored updates.
  const sync = {
    readDocument: async <T>(id: string, read: (doc: Y.Doc) => T) => read(await docOf(db, id)),
    refreshAccess: async () => {},
  };
  const made = await startNextPlan(
    db,
    sync,
    actor,
    PREVIOUS_PLAN_ID,
    {
      plan: {
        title: NEXT_PLAN_TITLE,
        summary: "The partnership's current plan, started from the 2022-23 plan: its unfinished actions carried forward, its partners asked again.",
        strategyId: "",
        newStrategyTitle: "",
        newStrategyVision: "",
        periodStart: "2026-04-01",
        periodEnd: "2027-03-31",
        priorities: priorities
          .filter((p) => !p.retired_at)
          .map((p) => ({ code: p.code, title: p.title, description: p.description, grouping: p.theme_name ?? "", fromPriorityId: p.id })),
        participants: grants.map((g) => ({ organisationId: g.organisation_id!, role: g.role })),
      },
      decisions: Object.fromEntries(unfinished.map((a) => [a.id, carry.has(a.id) ? "carry" : "leave"])),
    },
  );

  // The plan form names organisations only; a person's own grant (the council's scrutiny viewer,
  // who must not edit through the council's grant) is given again, as a facilitator would.
  const personal = await personalGrantsOfPlan(db, PREVIOUS_PLAN_ID);
  for (const g of personal) await setGrant(db, actor, { planId: made.planId, userEmail: g.email, role: g.role });

  // A few months into the year: partners re-confirmed (those with a seeded editor), milestones
  // rescheduled around today, owners reporting.
  const today = todayInLondon();
  const now = nowIso();
  const editorOf = new Map<string, number>();
  for (const u of data.users) if (u.systemRole === "member" && !editorOf.has(u.organisationId) && userIds.has(u.email)) editorOf.set(u.organisationId, userIds.get(u.email)!);
  editorOf.set(facilitator.organisationId, actor.userId);
  await inTransaction(db, async (trx) => {
    for (const [i, c] of made.carried.entries()) {
      const owners = await listActionOwners(trx, c.actionId);
      for (const o of owners) {
        const by = editorOf.get(o.organisation_id);
        if (!by) continue;
        await updateActionOwner(trx, c.actionId, o.organisation_id, { status: "accepted", responded_by: by, responded_at: now });
        await insertOwnershipHistory(trx, { action_id: c.actionId, organisation_id: o.organisation_id, event: "accepted", from_role: o.role, from_status: "pending", to_role: o.role, to_status: "accepted", actor_user_id: by, actor_organisation_id: o.organisation_id, note: "re-confirmed for 2026-27", created_at: now });
      }
      // red: overdue a month; amber: due within a week with no update; green: on track, reported last week.
      const kind = i % 3;
      const due = addDays(today, kind === 0 ? -30 : kind === 1 ? 7 : 75);
      const milestones = await milestonesOfAction(trx, c.actionId);
      for (const m of milestones) {
        await setMilestoneDueDate(trx, m.id, due, now);
        await insertMilestoneChange(trx, { milestone_id: m.id, action_id: c.actionId, event: "rescheduled", from_value: m.due_date, to_value: due, actor_user_id: actor.userId, actor_organisation_id: actor.organisationId, created_at: now });
      }
      const lead = owners.find((o) => o.role === "lead");
      const author = lead ? editorOf.get(lead.organisation_id) : undefined;
      if (kind === 2 && lead && author) {
        await insertProgressUpdate(trx, { action_id: c.actionId, status: "on_track", reported_on: addDays(today, -5), narrative: "Carried into 2026-27 and on track: the work restarted with the same partners.", author_user_id: author, author_organisation_id: lead.organisation_id, created_at: now });
      }
    }
  });
  await setArchived(db, sync, actor, PREVIOUS_PLAN_ID, true);
}

async function docOf(db: Kysely<Database>, documentId: string): Promise<Y.Doc> {
  const rows = await documentUpdateBlobs(db, documentId);
  const doc = new Y.Doc();
  for (const r of rows) Y.applyUpdate(doc, r.update);
  return doc;
}
