import { sql, type Kysely } from "kysely";

/**
 * Issue 14: naming a new lead no longer removes the current one.
 *
 * - action_owners_one_lead: at most one ACCEPTED lead per action (it was: at most one lead row of
 *   any status, so asking another organisation to lead had to take the current lead off at once).
 * - action_owners_one_pending_lead: at most one request to take over as lead at a time; a newer
 *   request replaces the older one.
 * - action_owners.held_role: the role an organisation already holds (accepted) while it is asked
 *   to change to `role`, e.g. a supporting partner asked to take over as lead. A decline restores
 *   it, so a decline leaves things as they were. Null when the organisation held nothing before.
 *
 * Partial indexes are written the same way in SQLite and PostgreSQL. Frozen in time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("action_owners").addColumn("held_role", "text").execute();
  await db.schema.dropIndex("action_owners_one_lead").execute();
  await db.schema
    .createIndex("action_owners_one_lead")
    .unique()
    .on("action_owners")
    .column("action_id")
    .where((eb) => eb.and([eb(sql.ref("role"), "=", "lead"), eb(sql.ref("status"), "=", "accepted")]))
    .execute();
  await db.schema
    .createIndex("action_owners_one_pending_lead")
    .unique()
    .on("action_owners")
    .column("action_id")
    .where((eb) => eb.and([eb(sql.ref("role"), "=", "lead"), eb(sql.ref("status"), "=", "pending")]))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // The old index cannot hold an accepted lead and a pending one: the pending requests go.
  await db.deleteFrom("action_owners").where("role", "=", "lead").where("status", "=", "pending").where("held_role", "is", null).execute();
  await db
    .updateTable("action_owners")
    .set((eb) => ({ role: eb.ref("held_role"), status: "accepted" }))
    .where("held_role", "is not", null)
    .execute();
  await db.schema.dropIndex("action_owners_one_pending_lead").execute();
  await db.schema.dropIndex("action_owners_one_lead").execute();
  await db.schema
    .createIndex("action_owners_one_lead")
    .unique()
    .on("action_owners")
    .column("action_id")
    .where(sql.ref("role"), "=", "lead")
    .execute();
  await db.schema.alterTable("action_owners").dropColumn("held_role").execute();
}
