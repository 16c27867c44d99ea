/**
 * A database as `npm start` creates it (migrated, seeded) plus one plan of `actions` actions, each
 * with a description, a lead and a supporting partner, two milestones and two progress updates:
 * the large plan the report and event-loop benchmarks measure.
 */
import { migrateToLatest, nowIso, openDatabase, type DB } from "../../db/connection";
import { seedDatabase } from "../../seeds/load";
import { createDocument } from "../../server/domain/documents";

export const BIG_PLAN_ID = "bench-plan-500";

export async function buildPlanDatabase(file: string, actions: number): Promise<{ db: DB; planId: string }> {
  const PLAN = BIG_PLAN_ID;
  const ACTIONS = actions;
  const { db } = openDatabase(file);
  await migrateToLatest(db);
  await seedDatabase(db);
  const priorities = await db.selectFrom("priorities").select(["id"]).orderBy("position").execute();
  const organisations = (await db.selectFrom("organisations").select("id").execute()).map((o) => o.id);
  const users = await db.selectFrom("users").select(["id", "organisation_id"]).execute();
  const now = nowIso();
  const statuses = ["on_track", "at_risk", "off_track"] as const;
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("plans").values({ id: PLAN, title: "Benchmark plan of 500 actions", summary: "", strategy_id: "lets-do-it-2030", created_by: null, created_at: now }).execute();
    for (const [i, p] of priorities.entries()) {
      await trx.insertInto("plan_priorities").values({ plan_id: PLAN, priority_id: p.id, position: i + 1 }).execute();
    }
    for (const org of organisations) {
      await trx.insertInto("plan_grants").values({ plan_id: PLAN, organisation_id: org, user_id: null, role: "editor", granted_by: null, created_at: now }).execute();
    }
    for (let i = 0; i < ACTIONS; i++) {
      const id = `bench-act-${i}`;
      const documentId = `bench-doc-${i}`;
      const priority = priorities[i % priorities.length].id;
      await createDocument(trx, {
        id: documentId,
        planId: PLAN,
        kind: "action_description",
        paragraphs: [`Action ${i}: deliver the agreed outputs with partners across the borough, reporting quarterly to the board.`],
        userId: null,
        organisationId: null,
      });
      await trx
        .insertInto("actions")
        .values({ id, plan_id: PLAN, priority_id: priority, document_id: documentId, title: `Benchmark action ${i}: a deliverable with a realistic length of title`, due_label: `Q${(i % 4) + 1} 2022-23`, position: i + 1, created_by: null, created_at: now, updated_at: now })
        .execute();
      const lead = organisations[i % organisations.length];
      const support = organisations[(i + 3) % organisations.length];
      for (const [organisation_id, role] of [[lead, "lead"], [support, "support"]] as const) {
        if (role === "support" && support === lead) continue;
        await trx
          .insertInto("action_owners")
          .values({ action_id: id, organisation_id, role, status: "accepted", requested_by: null, requested_at: now, responded_by: null, responded_at: now })
          .execute();
      }
      for (let m = 0; m < 2; m++) {
        const due = ["2022-06-30", "2022-09-30", "2022-12-31", "2023-03-31"][(i + m) % 4];
        await trx
          .insertInto("milestones")
          .values({ id: `bench-ms-${i}-${m}`, action_id: id, title: `Milestone ${m + 1} of action ${i}`, due_date: due, completed_on: (i + m) % 3 === 0 ? due : null, completed_by: null, position: m + 1, removed_at: null, created_by: null, created_at: now, updated_at: now })
          .execute();
      }
      const author = users.find((u) => u.organisation_id === lead) ?? users[0];
      for (let u = 0; u < 2; u++) {
        await trx
          .insertInto("progress_updates")
          .values({ action_id: id, status: statuses[(i + u) % 3], reported_on: u ? "2022-09-15" : "2022-06-15", narrative: `Update ${u + 1} on action ${i}: progress made, next steps agreed with partners.`, mitigation: (i + u) % 3 ? "Mitigation agreed at the delivery group." : "", author_user_id: author.id, author_organisation_id: author.organisation_id, created_at: now })
          .execute();
      }
    }
  });
  return { db, planId: PLAN };
}
