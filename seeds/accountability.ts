import type { Kysely } from "kysely";
import { inTransaction, nowIso } from "../db/connection";
import { actionIdsStartingWith } from "../db/queries/actions";
import { insertKpiIfAbsent, insertMilestoneChange, insertMilestoneIfAbsent } from "../db/queries/delivery";
import type { Database } from "../db/schema";
import * as data from "./data";
import { KPI_SOURCE, kpis, QUARTER_END_2022_23 } from "./data/kpis";

/**
 * KPIs of the Corporate Plan, and one milestone per seeded action: the deliverable itself, due at
 * the end of the 2022-23 quarter the plan places it in. Idempotent like the rest of the seed
 * (stable ids, on conflict do nothing), and it also fills in a database seeded before this
 * existed, without touching a milestone people have since changed or removed.
 */
export async function seedAccountability(db: Kysely<Database>): Promise<void> {
  for (const [i, k] of kpis.entries()) {
    await insertKpiIfAbsent(db, { id: k.id, department_id: k.departmentId, code: k.code, title: k.title, source: KPI_SOURCE, position: i + 1 });
  }
  const now = nowIso();
  const actionIds = new Set(await actionIdsStartingWith(db, "act-p-"));
  await inTransaction(db, async (trx) => {
    for (const p of data.priorities) {
      for (const [di, d] of p.deliverables.entries()) {
        const actionId = `act-${p.id}-${di + 1}`;
        if (!d.quarter || !actionIds.has(actionId)) continue;
        const id = `ms-${actionId}-1`;
        const dueDate = QUARTER_END_2022_23[d.quarter];
        const inserted = await insertMilestoneIfAbsent(trx, {
          id,
          action_id: actionId,
          title: `${d.quarter} 2022-23 deliverable complete`,
          due_date: dueDate,
          completed_on: null,
          completed_by: null,
          position: 1,
          removed_at: null,
          created_by: null,
          created_at: now,
          updated_at: now,
        });
        if (!inserted) continue;
        await insertMilestoneChange(trx, {
          milestone_id: id,
          action_id: actionId,
          event: "created",
          from_value: null,
          to_value: `${dueDate} · recorded from the Corporate Plan 2022-23 (${d.quarter})`,
          actor_user_id: null,
          actor_organisation_id: null,
          created_at: now,
        });
      }
    }
  });
}
