/**
 * Importing actions from CSV: every row is checked first (server/accountability/csv.ts); if any
 * row is bad nothing is imported and the report names each bad row. A clean file is staged and
 * then copied in ONE transaction (db/queries/imported-actions.ts): documents with server-made
 * initial content, actions, owners (the importer's own organisation at once, any other as a
 * pending request it must accept, as on the page), milestones with their history, and links.
 * The permission check and the lookups run here; everything after them on a worker thread.
 */
import { randomUUID } from "node:crypto";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import { actionKey, parseActionsCsv, type ImportLookups, type ImportProblem } from "../accountability/csv";
import { initialContentUpdate } from "../documents/lexical-content";
import type { WorkerPool } from "../workers/pool";
import { stageImportedActions, type ImportedActionRows } from "../../db/queries/imported-actions";
import { listOrganisationNames } from "../../db/queries/accounts";
import { actionKeysOfPlan, lastActionPosition } from "../../db/queries/actions";
import { insertAuditRow } from "../../db/queries/audit";
import { listKpiCodes } from "../../db/queries/delivery";
import { planPriorityCodes } from "../../db/queries/priorities";
import { listRecommendationCodes } from "../../db/queries/recommendations";
import { canDo, type Actor } from "../policy";
import { DomainError } from "./errors";
import { loadPlanRole } from "./plan-access";

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

export type ImportOutcome = { ok: true; imported: number; summary: string } | { ok: false; problems: ImportProblem[] };

/**
 * Parsing, checking, making each new document's first content and writing run on a worker thread
 * (`workers`): for 2,000 rows they took seconds of the event loop, and the copy transaction alone
 * (one statement per table, then fsync) still held it 120-150 ms.
 */
export async function importActionsCsv(db: DB, workers: WorkerPool, actor: Actor, planId: string, text: string): Promise<ImportOutcome> {
  const role = await loadPlanRole(db, actor, planId);
  if (!canDo(role, "plan:import")) throw new DomainError(403, "Only editors of this plan can import actions into it.");
  const [priorities, organisations, kpis, recommendations, existing] = await Promise.all([
    planPriorityCodes(db, planId),
    listOrganisationNames(db),
    listKpiCodes(db),
    listRecommendationCodes(db),
    actionKeysOfPlan(db, planId),
  ]);
  const lookups = {
    priorities: new Map(priorities.map((p) => [p.code.toLowerCase(), p])),
    organisations,
    kpis,
    recommendations,
    existingIds: new Set(existing.map((a) => a.id)),
    existingTitles: new Set(existing.map((a) => actionKey(a.priority_id ?? "", a.title, a.due_label))),
    actorOrganisationId: actor.organisationId,
    actorIsFacilitator: role === "facilitator",
  };
  const outcome = await workers.run("importActions", { text, lookups, actor, planId, now: nowIso() });
  if (!outcome.ok) return outcome;
  return {
    ok: true,
    imported: outcome.imported,
    summary: `Imported ${outcome.imported} action${outcome.imported === 1 ? "" : "s"}.${outcome.pending ? " Partners named other than your organisation have been asked to accept." : ""}`,
  };
}

export type WrittenImport = { ok: true; imported: number; pending: boolean } | { ok: false; problems: ImportProblem[] };

/**
 * Checks every row and writes a clean file: runs on a worker thread with that thread's own
 * connection (server/workers/tasks.ts), because parsing, making 2,000 first contents, and the copy
 * transaction with its fsync held the event loop for over 100 ms even when staged in turns.
 * Staging uses TEMP tables of this connection, which hold no lock, so the database is locked
 * only for the one copy transaction (all or nothing).
 */
export async function writeImportedActions(
  db: DB,
  input: { text: string; lookups: ImportLookups; actor: Actor; planId: string; now: string },
): Promise<WrittenImport> {
  const { actor, planId, now } = input;
  const parsed = parseActionsCsv(input.text, input.lookups);
  if (!parsed.ok) return parsed;
  const rows: ImportedActionRows = {
    documents: [],
    documentUpdates: [],
    actions: [],
    owners: [],
    ownershipHistory: [],
    milestones: [],
    milestoneChanges: [],
    kpis: [],
    recommendations: [],
  };
  for (const row of parsed.actions) {
    const actionId = `act-${randomUUID()}`;
    const documentId = `doc-${randomUUID()}`;
    // As createDocument() writes a new document: its text, then its server-made first content.
    rows.documents.push({ id: documentId, plan_id: planId, kind: "action_description", plain_text: row.paragraphs.join("\n\n"), created_at: now, updated_at: now });
    rows.documentUpdates.push({ document_id: documentId, update: initialContentUpdate(row.paragraphs), user_id: actor.userId, organisation_id: actor.organisationId, created_at: now });
    rows.actions.push({
      id: actionId,
      plan_id: planId,
      priority_id: row.priorityId,
      document_id: documentId,
      title: row.title,
      due_label: row.dueLabel,
      position: rows.actions.length + 1, // after the plan's last action, added inside the transaction
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    const owners = [
      ...(row.leadOrganisationId ? [{ organisationId: row.leadOrganisationId, role: "lead" as const }] : []),
      ...row.supportingOrganisationIds.map((organisationId) => ({ organisationId, role: "support" as const })),
    ];
    for (const o of owners) {
      // Nobody answers for another partner: naming another organisation asks it first.
      const status = o.organisationId === actor.organisationId ? ("accepted" as const) : ("pending" as const);
      rows.owners.push({
        action_id: actionId,
        organisation_id: o.organisationId,
        role: o.role,
        status,
        requested_by: actor.userId,
        requested_at: now,
        responded_by: status === "accepted" ? actor.userId : null,
        responded_at: status === "accepted" ? now : null,
      });
      rows.ownershipHistory.push({
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
      });
    }
    for (const [i, m] of row.milestones.entries()) {
      const milestoneId = `ms-${randomUUID()}`;
      rows.milestones.push({
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
      });
      const change = { milestone_id: milestoneId, action_id: actionId, actor_user_id: actor.userId, actor_organisation_id: actor.organisationId, created_at: now };
      rows.milestoneChanges.push({ ...change, event: "created", from_value: null, to_value: `${m.dueDate} · ${m.title} (imported from CSV)` });
      if (m.completedOn) rows.milestoneChanges.push({ ...change, event: "completed", from_value: null, to_value: m.completedOn });
    }
    for (const kpiId of row.kpiIds) rows.kpis.push({ action_id: actionId, kpi_id: kpiId, linked_by: actor.userId, linked_at: now });
    for (const recommendationId of row.recommendationIds) {
      rows.recommendations.push({ action_id: actionId, recommendation_id: recommendationId, linked_by: actor.userId, linked_at: now });
    }
  }

  // Staged a few rows at a time with turns of the event loop between, then copied in one short
  // transaction (db/queries/imported-actions.ts): all or nothing, without holding the loop.
  const staged = await stageImportedActions(db, rows);
  try {
    await inTransaction(db, async (trx) => {
      const last = await lastActionPosition(trx, planId);
      await staged.copy(trx, Number(last?.max ?? 0));
      await insertAuditRow(trx, {
        actor_user_id: actor.userId,
        actor_organisation_id: actor.organisationId,
        event: "plan.actions.imported",
        subject: planId,
        detail: JSON.stringify({ actions: parsed.actions.length }),
        created_at: now,
      });
    });
  } finally {
    await staged.drop();
  }
  const pending = parsed.actions.some(
    (a) =>
      (a.leadOrganisationId && a.leadOrganisationId !== actor.organisationId) ||
      a.supportingOrganisationIds.some((o) => o !== actor.organisationId),
  );
  return { ok: true, imported: parsed.actions.length, pending: Boolean(pending) };
}
