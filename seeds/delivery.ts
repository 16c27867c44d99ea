import type { Kysely } from "kysely";
import { inTransaction, nowIso } from "../db/connection";
import { findUserIdByEmail } from "../db/queries/accounts";
import { actionsWithAcceptedLead } from "../db/queries/actions";
import {
  findMilestoneState,
  hasProgressUpdates,
  insertMilestoneChange,
  insertProgressUpdate,
  linkActionKpiIfAbsent,
  linkActionRecommendationIfAbsent,
  milestoneChangeEvents,
  setMilestoneCompleted,
} from "../db/queries/delivery";
import type { Database } from "../db/schema";
import { addDays } from "../server/accountability/dates";
import * as data from "./data";
import { DONE_DAYS_EARLY, links, slipped, UNTOUCHED } from "./data/delivery";

/**
 * The demo delivery record (seeds/data/delivery.ts): deliverables reported done with an owner's
 * update, six that slipped with their reasons and mitigation, and the recommendations and KPIs
 * actions answer. Idempotent like the rest of the seed: a milestone is completed only while it
 * is exactly as the seed created it (open, with no change since), an update is added only to an
 * action nobody has reported on, and links are inserted with "on conflict do nothing".
 */
export async function seedDelivery(db: Kysely<Database>): Promise<void> {
  const now = nowIso();
  const actions = await actionsWithAcceptedLead(db, "act-p-");
  const reporter = new Map<string, number>();
  for (const u of data.users) {
    if (u.systemRole !== "member" || reporter.has(u.organisationId)) continue;
    const id = await findUserIdByEmail(db, u.email);
    if (id !== null) reporter.set(u.organisationId, id);
  }
  const slippedBy = new Map(slipped.map((s) => [s.actionId, s]));

  await inTransaction(db, async (trx) => {
    for (const [i, a] of actions.entries()) {
      if (UNTOUCHED.has(a.id)) continue;
      const author = reporter.get(a.lead);
      if (author === undefined) continue;
      const hasUpdates = await hasProgressUpdates(trx, a.id);
      const slip = slippedBy.get(a.id);
      if (slip) {
        if (hasUpdates) continue;
        await insertProgressUpdate(trx, {
          action_id: a.id,
          status: slip.status,
          reported_on: slip.reportedOn,
          narrative: slip.narrative,
          mitigation: slip.mitigation,
          author_user_id: author,
          author_organisation_id: a.lead,
          created_at: now,
        });
        continue;
      }
      const milestone = await findMilestoneState(trx, `ms-${a.id}-1`);
      if (!milestone || milestone.completed_on !== null || milestone.removed_at !== null) continue;
      const changes = await milestoneChangeEvents(trx, milestone.id);
      if (changes.some((c) => c.event !== "created") || hasUpdates) continue;
      const doneOn = addDays(milestone.due_date, -DONE_DAYS_EARLY[i % DONE_DAYS_EARLY.length]);
      await setMilestoneCompleted(trx, milestone.id, doneOn, author, now);
      await insertMilestoneChange(trx, {
        milestone_id: milestone.id,
        action_id: a.id,
        event: "completed",
        from_value: null,
        to_value: `${doneOn} · demo delivery record`,
        actor_user_id: author,
        actor_organisation_id: a.lead,
        created_at: now,
      });
      await insertProgressUpdate(trx, {
        action_id: a.id,
        status: "on_track",
        reported_on: doneOn,
        narrative: `Delivered: ${a.title}.`,
        mitigation: "",
        author_user_id: author,
        author_organisation_id: a.lead,
        created_at: now,
      });
    }

    const ids = new Set(actions.map((a) => a.id));
    for (const link of links) {
      const priority = data.priorities.find((p) => p.id === link.priorityId);
      if (!priority) throw new Error(`Seed link names unknown priority ${link.priorityId}`);
      const actionIds = link.only ?? priority.deliverables.map((_d, di) => `act-${priority.id}-${di + 1}`);
      for (const actionId of actionIds) {
        if (!ids.has(actionId)) continue;
        for (const recommendation_id of link.recommendationIds) {
          await linkActionRecommendationIfAbsent(trx, { action_id: actionId, recommendation_id, linked_by: null, linked_at: now });
        }
        for (const kpi_id of link.kpiIds) {
          await linkActionKpiIfAbsent(trx, { action_id: actionId, kpi_id, linked_by: null, linked_at: now });
        }
      }
    }
  });
}
