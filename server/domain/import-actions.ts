/**
 * Importing actions from CSV: every row is checked first (server/accountability/csv.ts); if any
 * row is bad nothing is imported and the report names each bad row. A clean file is imported in
 * ONE transaction: documents with server-made initial content, actions, owners (the importer's
 * own organisation at once, any other as a pending request it must accept, as on the page),
 * milestones with their history, and links.
 */
import { randomUUID } from "node:crypto";
import type { DB } from "../../db/connection";
import { nowIso } from "../../db/connection";
import { actionKey, parseActionsCsv, type ImportProblem } from "../accountability/csv";
import { canDo, type Actor } from "../policy";
import { createDocument } from "./documents";
import { DomainError } from "./errors";
import { loadPlanRole } from "./plan-access";

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

export type ImportOutcome = { ok: true; imported: number; summary: string } | { ok: false; problems: ImportProblem[] };

export async function importActionsCsv(db: DB, actor: Actor, planId: string, text: string): Promise<ImportOutcome> {
  const role = await loadPlanRole(db, actor, planId);
  if (!canDo(role, "plan:import")) throw new DomainError(403, "Only editors of this plan can import actions into it.");
  const [priorities, organisations, kpis, recommendations, existing] = await Promise.all([
    db
      .selectFrom("plan_priorities")
      .innerJoin("priorities", "priorities.id", "plan_priorities.priority_id")
      .select(["priorities.id", "priorities.code"])
      .where("plan_priorities.plan_id", "=", planId)
      .execute(),
    db.selectFrom("organisations").select(["id", "name", "short_name"]).execute(),
    db.selectFrom("kpis").select(["id", "code"]).execute(),
    db.selectFrom("recommendations").select(["id", "code"]).execute(),
    db.selectFrom("actions").select(["id", "priority_id", "title", "due_label"]).where("plan_id", "=", planId).execute(),
  ]);
  const parsed = parseActionsCsv(text, {
    priorities: new Map(priorities.map((p) => [p.code.toLowerCase(), p])),
    organisations,
    kpis,
    recommendations,
    existingIds: new Set(existing.map((a) => a.id)),
    existingTitles: new Set(existing.map((a) => actionKey(a.priority_id ?? "", a.title, a.due_label))),
    actorOrganisationId: actor.organisationId,
    actorIsFacilitator: role === "facilitator",
  });
  if (!parsed.ok) return parsed;

  await db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom("actions")
      .select((eb) => eb.fn.max("position").as("max"))
      .where("plan_id", "=", planId)
      .executeTakeFirst();
    let position = Number(last?.max ?? 0);
    const now = nowIso();
    for (const row of parsed.actions) {
      position += 1;
      const actionId = `act-${randomUUID()}`;
      const documentId = `doc-${randomUUID()}`;
      await createDocument(trx, {
        id: documentId,
        planId,
        kind: "action_description",
        paragraphs: row.paragraphs,
        userId: actor.userId,
        organisationId: actor.organisationId,
      });
      await trx
        .insertInto("actions")
        .values({
          id: actionId,
          plan_id: planId,
          priority_id: row.priorityId,
          document_id: documentId,
          title: row.title,
          due_label: row.dueLabel,
          position,
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const owners = [
        ...(row.leadOrganisationId ? [{ organisationId: row.leadOrganisationId, role: "lead" as const }] : []),
        ...row.supportingOrganisationIds.map((organisationId) => ({ organisationId, role: "support" as const })),
      ];
      for (const o of owners) {
        // Nobody answers for another partner: naming another organisation asks it first.
        const status = o.organisationId === actor.organisationId ? ("accepted" as const) : ("pending" as const);
        await trx
          .insertInto("action_owners")
          .values({
            action_id: actionId,
            organisation_id: o.organisationId,
            role: o.role,
            status,
            requested_by: actor.userId,
            requested_at: now,
            responded_by: status === "accepted" ? actor.userId : null,
            responded_at: status === "accepted" ? now : null,
          })
          .execute();
        await trx
          .insertInto("ownership_history")
          .values({
            action_id: actionId,
            organisation_id: o.organisationId,
            event: status === "accepted" ? "accepted" : "proposed",
            from_role: null,
            from_status: null,
            to_role: o.role,
            to_status: status,
            actor_user_id: actor.userId,
            actor_organisation_id: actor.organisationId,
            note: `Imported from CSV (line ${row.line})`,
            created_at: now,
          })
          .execute();
      }
      for (const [i, m] of row.milestones.entries()) {
        const milestoneId = `ms-${randomUUID()}`;
        await trx
          .insertInto("milestones")
          .values({
            id: milestoneId,
            action_id: actionId,
            title: m.title,
            due_date: m.dueDate,
            completed_on: m.completedOn,
            completed_by: m.completedOn ? actor.userId : null,
            position: i + 1,
            removed_at: null,
            created_by: actor.userId,
            created_at: now,
            updated_at: now,
          })
          .execute();
        const change = { milestone_id: milestoneId, action_id: actionId, actor_user_id: actor.userId, actor_organisation_id: actor.organisationId, created_at: now };
        await trx
          .insertInto("milestone_changes")
          .values({ ...change, event: "created", from_value: null, to_value: `${m.dueDate} · ${m.title} (imported from CSV)` })
          .execute();
        if (m.completedOn) {
          await trx.insertInto("milestone_changes").values({ ...change, event: "completed", from_value: null, to_value: m.completedOn }).execute();
        }
      }
      for (const kpiId of row.kpiIds) {
        await trx.insertInto("action_kpis").values({ action_id: actionId, kpi_id: kpiId, linked_by: actor.userId, linked_at: now }).execute();
      }
      for (const recommendationId of row.recommendationIds) {
        await trx
          .insertInto("action_recommendations")
          .values({ action_id: actionId, recommendation_id: recommendationId, linked_by: actor.userId, linked_at: now })
          .execute();
      }
    }
    await trx
      .insertInto("audit_log")
      .values({
        actor_user_id: actor.userId,
        actor_organisation_id: actor.organisationId,
        event: "plan.actions.imported",
        subject: planId,
        detail: JSON.stringify({ actions: parsed.actions.length }),
        created_at: now,
      })
      .execute();
  });
  const pending = parsed.actions.some(
    (a) =>
      (a.leadOrganisationId && a.leadOrganisationId !== actor.organisationId) ||
      a.supportingOrganisationIds.some((o) => o !== actor.organisationId),
  );
  return {
    ok: true,
    imported: parsed.actions.length,
    summary: `Imported ${parsed.actions.length} action${parsed.actions.length === 1 ? "" : "s"}.${pending ? " Partners named other than your organisation have been asked to accept." : ""}`,
  };
}
