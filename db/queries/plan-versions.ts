/** Saved versions of a plan: named snapshots of every document's text. */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { PlanVersionDocumentTable, PlanVersionTable } from "../schema";

/** A plan's saved versions, newest first, with who saved them and how many documents each holds. */
export async function listPlanVersions(db: DB, planId: string) {
  return db
    .selectFrom("plan_versions as v")
    .leftJoin("users", "users.id", "v.created_by")
    .leftJoin("organisations", "organisations.id", "v.created_by_organisation_id")
    .leftJoin("plan_versions as from", "from.id", "v.restored_from_version_id")
    .select((eb) => [
      "v.id",
      "v.name",
      "v.note",
      "v.kind",
      "v.created_at",
      "users.name as by",
      "organisations.name as organisation",
      "from.name as restored_from",
      eb.selectFrom("plan_version_documents as d").whereRef("d.version_id", "=", "v.id").select((e) => e.fn.countAll<number>().as("n")).as("documents"),
    ])
    .where("v.plan_id", "=", planId)
    .orderBy("v.id", "desc")
    .execute();
}

export async function findPlanVersion(db: DB, versionId: number) {
  return db
    .selectFrom("plan_versions as v")
    .leftJoin("users", "users.id", "v.created_by")
    .leftJoin("organisations", "organisations.id", "v.created_by_organisation_id")
    .select(["v.id", "v.plan_id", "v.name", "v.note", "v.kind", "v.created_at", "users.name as by", "organisations.name as organisation"])
    .where("v.id", "=", versionId)
    .executeTakeFirst();
}

export async function versionDocuments(db: DB, versionId: number) {
  return db
    .selectFrom("plan_version_documents")
    .select(["document_id", "label", "paragraphs", "action_id"])
    .where("version_id", "=", versionId)
    .orderBy("position")
    .execute();
}

/** Every document of a plan with its action (none for the overview), for a version's reading order. */
export async function planDocumentsWithActionOrder(db: DB, planId: string) {
  return db
    .selectFrom("documents")
    .leftJoin("actions", "actions.document_id", "documents.id")
    .select(["documents.id", "documents.kind", "actions.id as action_id", "actions.title", "actions.position"])
    .where("documents.plan_id", "=", planId)
    .execute();
}

export async function insertPlanVersion(db: DB, row: Insertable<PlanVersionTable>): Promise<number> {
  return (await db.insertInto("plan_versions").values(row).returning("id").executeTakeFirstOrThrow()).id;
}

export async function insertPlanVersionDocument(db: DB, row: Insertable<PlanVersionDocumentTable>): Promise<void> {
  await db.insertInto("plan_version_documents").values(row).execute();
}

export async function findPlanVersionHeader(db: DB, versionId: number) {
  return db.selectFrom("plan_versions").select(["id", "name", "plan_id"]).where("id", "=", versionId).executeTakeFirst();
}

/** The states a version kept, of documents that still exist, in the version's order. */
export async function versionStatesOfExistingDocuments(db: DB, versionId: number) {
  return db
    .selectFrom("plan_version_documents")
    .innerJoin("documents", "documents.id", "plan_version_documents.document_id")
    .select(["plan_version_documents.document_id", "plan_version_documents.state"])
    .where("plan_version_documents.version_id", "=", versionId)
    .orderBy("plan_version_documents.position")
    .execute();
}
