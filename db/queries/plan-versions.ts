/** Saved versions of a plan: named snapshots of every document's text. */
import type { DB } from "../connection";

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
