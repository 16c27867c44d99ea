/**
 * Named versions of a plan's text. A version keeps the full Yjs state of every document of the
 * plan (its overview and each action's description) as read through the sync server, so it holds
 * exactly what partners saw. Restoring never overwrites anything: the current text is saved as a
 * version first, the named version's blocks (with their lists, headings, links and emphasis) are written into each live document as a server
 * change credited to the person restoring (so every connected browser converges on them), and
 * the result is saved as a new version "Restored from ...".
 */
import { z } from "zod";
import * as Y from "yjs";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import { insertAuditRow } from "../../db/queries/audit";
import { setDocumentPlainText } from "../../db/queries/documents";
import {
  findPlanVersionHeader,
  insertPlanVersion,
  insertPlanVersionDocument,
  planDocumentsWithActionOrder,
  versionStatesOfExistingDocuments,
} from "../../db/queries/plan-versions";
import type { PlanVersionKind } from "../../db/schema";
import type { SerializedLexicalNode } from "lexical";
import { readContent, replaceStructure, UNREADABLE_NOTICE } from "../documents/lexical-content";
import { docFromState } from "../documents/stored-state";
import { canDo, type Actor } from "../policy";
import type { SyncServer } from "../sync";
import { DomainError } from "./errors";
import { loadPlanRole } from "./plan-access";

export interface VersionDeps {
  db: DB;
  sync: Pick<SyncServer, "readDocument" | "applyServerChange">;
}

export const VersionInput = z.object({
  planId: z.string().min(1).max(200),
  name: z
    .string()
    .trim()
    .min(3, "Name the version (at least 3 characters), for example “Agreed at the March board”.")
    .max(120, "Keep the version name under 120 characters."),
  note: z.string().trim().max(2000, "Keep the note under 2,000 characters.").default(""),
});

/** The plan's documents in reading order: the overview, then each action's description. */
async function planDocuments(db: DB, planId: string) {
  const docs = await planDocumentsWithActionOrder(db, planId);
  return docs
    .map((d) => ({
      documentId: d.id,
      actionId: d.action_id,
      label: d.kind === "plan_overview" ? "Overview" : (d.title ?? "Untitled action"),
      order: d.kind === "plan_overview" ? 0 : (d.position ?? 0) + 1,
    }))
    .sort((a, b) => a.order - b.order || a.documentId.localeCompare(b.documentId));
}

async function writeVersion(
  deps: VersionDeps,
  actor: Actor,
  input: { planId: string; name: string; note: string; kind: PlanVersionKind; restoredFrom: number | null },
): Promise<number> {
  const docs = await planDocuments(deps.db, input.planId);
  const captured: (Awaited<ReturnType<typeof planDocuments>>[number] & { position: number; state: Uint8Array; paragraphs: string[] })[] = [];
  for (const [position, d] of docs.entries()) {
    // An unreadable text is kept as it is (its state), shown as the notice, and skipped by restores.
    const read = await deps.sync.readDocument(d.documentId, (doc) => {
      const content = readContent(doc);
      return { state: Y.encodeStateAsUpdate(doc), paragraphs: content.readable ? content.lines : [UNREADABLE_NOTICE] };
    });
    captured.push({ ...d, position, ...read });
  }
  return inTransaction(deps.db, async (trx) => {
    const versionId = await insertPlanVersion(trx, {
      plan_id: input.planId,
      name: input.name,
      note: input.note,
      kind: input.kind,
      restored_from_version_id: input.restoredFrom,
      created_by: actor.userId,
      created_by_organisation_id: actor.organisationId,
      created_at: nowIso(),
    });
    for (const c of captured) {
      await insertPlanVersionDocument(trx, {
        version_id: versionId,
        document_id: c.documentId,
        action_id: c.actionId,
        label: c.label,
        position: c.position,
        state: c.state,
        paragraphs: JSON.stringify(c.paragraphs),
      });
    }
    return versionId;
  });
}

export async function saveVersion(
  deps: VersionDeps,
  actor: Actor,
  input: z.infer<typeof VersionInput>,
): Promise<{ id: number; summary: string }> {
  const role = await loadPlanRole(deps.db, actor, input.planId);
  if (!canDo(role, "version:save")) throw new DomainError(403, "Only editors of this plan can save versions of it.");
  const id = await writeVersion(deps, actor, { ...input, kind: "named", restoredFrom: null });
  return { id, summary: `Saved the version “${input.name}”.` };
}

/** One document as the version holds it, read from its stored Yjs state (null: unreadable). */
export function contentOfState(state: Uint8Array): { lines: string[]; structure: SerializedLexicalNode[] } | null {
  const doc = docFromState(state);
  try {
    const content = readContent(doc);
    return content.readable ? { lines: content.lines, structure: content.structure } : null;
  } finally {
    doc.destroy();
  }
}

// Same blocks, emphasis, lists and links (comment marks aside): nothing to restore.
const sameStructure = (a: readonly SerializedLexicalNode[], b: readonly SerializedLexicalNode[]) => JSON.stringify(a) === JSON.stringify(b);

// One restore per plan at a time, in this process: two at once would interleave their versions.
const restoring = new Map<string, Promise<unknown>>();

export async function restoreVersion(
  deps: VersionDeps,
  actor: Actor,
  input: { planId: string; versionId: number },
): Promise<{ beforeId: number; restoredId: number; changed: number; summary: string }> {
  const role = await loadPlanRole(deps.db, actor, input.planId);
  if (!canDo(role, "version:restore")) throw new DomainError(403, "Only editors of this plan can restore a version.");
  const version = await findPlanVersionHeader(deps.db, input.versionId);
  if (!version || version.plan_id !== input.planId) throw new DomainError(404, "There is no such version of this plan.");
  if (restoring.has(input.planId)) {
    throw new DomainError(409, "Another version of this plan is being restored right now. Wait a moment and reload.");
  }
  const run = (async () => {
    const beforeId = await writeVersion(deps, actor, {
      planId: input.planId,
      name: `Before restoring “${version.name}”`,
      note: "Saved automatically, so the text as it was before the restore is kept.",
      kind: "before_restore",
      restoredFrom: null,
    });
    const docs = await versionStatesOfExistingDocuments(deps.db, version.id);
    let changed = 0;
    const author = { userId: actor.userId, organisationId: actor.organisationId };
    for (const d of docs) {
      const saved = contentOfState(d.state);
      // The version itself holds a text nobody could read: restoring it would repair nothing.
      if (saved === null) continue;
      let didChange = false;
      await deps.sync.applyServerChange(d.document_id, author, (doc) => {
        const now = readContent(doc);
        if (now.readable && sameStructure(now.structure, saved.structure)) return;
        // replaceStructure empties an unreadable document first: this is how a restore repairs it.
        replaceStructure(doc, saved.structure);
        didChange = true;
      });
      if (didChange) {
        changed += 1;
        await setDocumentPlainText(deps.db, d.document_id, saved.lines.join("\n\n"), nowIso());
      }
    }
    const restoredId = await writeVersion(deps, actor, {
      planId: input.planId,
      name: `Restored from “${version.name}”`,
      note: `${changed} of ${docs.length} texts changed back. The text before the restore is kept as “Before restoring “${version.name}””.`,
      kind: "restored",
      restoredFrom: version.id,
    });
    await insertAuditRow(deps.db, {
      actor_user_id: actor.userId,
      actor_organisation_id: actor.organisationId,
      event: "plan.version.restored",
      subject: input.planId,
      detail: JSON.stringify({ version: version.id, before: beforeId, restored: restoredId, changed }),
      created_at: nowIso(),
    });
    return {
      beforeId,
      restoredId,
      changed,
      summary: `Restored “${version.name}”: ${changed} of ${docs.length} texts changed back. The previous text is kept as a version.`,
    };
  })();
  restoring.set(input.planId, run);
  try {
    return await run;
  } finally {
    restoring.delete(input.planId);
  }
}
