import type { DB } from "../../db/connection";
import { findDocumentAccessFacts } from "../../db/queries/documents";
import { isDocumentPlanArchived } from "../../db/queries/plan-cycle";
import { isDocumentPlanLocked } from "../../db/queries/workshops";
import { planRole, roleOnPlan, syncAccess } from "../policy";

export type DocumentAccess = "write" | "read" | "none" | "unknown-document";

/**
 * The sync server's `authorize`, answered by the same policy the HTTP routes use. The user's
 * organisation and system role are read from the database rather than trusted from the session
 * snapshot, so `refreshAccess` after a role change sees the new role. A workshop's plan lock is
 * read here too, so locking and unlocking take effect through `refreshAccess` at once.
 */
export async function authorizeDocument(
  db: DB,
  actor: { userId: number },
  documentId: string,
): Promise<DocumentAccess> {
  const facts = await findDocumentAccessFacts(db, documentId, actor.userId);
  if (!facts) return "unknown-document";
  if (!facts.user) return "none";
  // An archived plan is read-only for everyone: archiving refreshes open connections' access.
  const role = roleOnPlan(
    planRole({ userId: actor.userId, organisationId: facts.user.organisationId, systemRole: facts.user.systemRole }, facts.grants),
    { archived: await isDocumentPlanArchived(db, documentId) },
  );
  // A workshop (until it closes) may hold the plan's lock: non-facilitators then read only.
  return syncAccess(role, await isDocumentPlanLocked(db, documentId));
}
