import type { Kysely } from "kysely";
import { inTransaction, nowIso } from "../db/connection";
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
  const actions = await db
    .selectFrom("actions as a")
    .innerJoin("action_owners as o", (j) => j.onRef("o.action_id", "=", "a.id").on("o.role", "=", "lead").on("o.status", "=", "accepted"))
    .select(["a.id", "a.title", "o.organisation_id as lead"])
    .where("a.id", "like", "act-p-%")
    .execute();
  const reporter = new Map<string, number>();
  for (const u of data.users) {
    if (u.systemRole !== "member" || reporter.has(u.organisationId)) continue;
    const row = await db.selectFrom("users").select("id").where("email", "=", u.email).executeTakeFirst();
    if (row) reporter.set(u.organisationId, row.id);
  }
  const slippedBy = new Map(slipped.map((s) => [s.actionId, s]));

  await inTransaction(db, async (trx) => {
    for (const [i, a] of actions.entries()) {
      if (UNTOUCHED.has(a.id)) continue;
      const author = reporter.get(a.lead);
      if (author === undefined) continue;
      const hasUpdates = await trx.selectFrom("progress_updates").select("id").where("action_id", "=", a.id).limit(1).executeTakeFirst();
      const slip = slippedBy.get(a.id);
      if (slip) {
        if (hasUpdates) continue;
        await trx
          .insertInto("progress_updates")
          .values({
            action_id: a.id,
            status: slip.status,
            reported_on: slip.reportedOn,
            narrative: slip.narrative,
            mitigation: slip.mitigation,
            author_user_id: author,
            author_organisation_id: a.lead,
            created_at: now,
          })
          .execute();
        continue;
      }
      const milestone = await trx
        .selectFrom("milestones")
        .select(["id", "due_date", "completed_on", "removed_at"])
        .where("id", "=", `ms-${a.id}-1`)
        .executeTakeFirst();
      if (!milestone || milestone.completed_on !== null || milestone.removed_at !== null) continue;
      const changes = await trx.selectFrom("milestone_changes").select("event").where("milestone_id", "=", milestone.id).execute();
      if (changes.some((c) => c.event !== "created") || hasUpdates) continue;
      const doneOn = addDays(milestone.due_date, -DONE_DAYS_EARLY[i % DONE_DAYS_EARLY.length]);
      await trx.updateTable("milestones").set({ completed_on: doneOn, completed_by: author, updated_at: now }).where("id", "=", milestone.id).execute();
      await trx
        .insertInto("milestone_changes")
        .values({
          milestone_id: milestone.id,
          action_id: a.id,
          event: "completed",
          from_value: null,
          to_value: `${doneOn} · demo delivery record`,
          actor_user_id: author,
          actor_organisation_id: a.lead,
          created_at: now,
        })
        .execute();
      await trx
        .insertInto("progress_updates")
        .values({
          action_id: a.id,
          status: "on_track",
          reported_on: doneOn,
          narrative: `Delivered: ${a.title}.`,
          mitigation: "",
          author_user_id: author,
          author_organisation_id: a.lead,
          created_at: now,
        })
        .execute();
    }

    const ids = new Set(actions.map((a) => a.id));
    for (const link of links) {
      const priority = data.priorities.find((p) => p.id === link.priorityId);
      if (!priority) throw new Error(`Seed link names unknown priority ${link.priorityId}`);
      const actionIds = link.only ?? priority.deliverables.map((_d, di) => `act-${priority.id}-${di + 1}`);
      for (const actionId of actionIds) {
        if (!ids.has(actionId)) continue;
        for (const recommendation_id of link.recommendationIds) {
          await trx
            .insertInto("action_recommendations")
            .values({ action_id: actionId, recommendation_id, linked_by: null, linked_at: now })
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
        for (const kpi_id of link.kpiIds) {
          await trx.insertInto("action_kpis").values({ action_id: actionId, kpi_id, linked_by: null, linked_at: now }).onConflict((oc) => oc.doNothing()).execute();
        }
      }
    }
  });
}
