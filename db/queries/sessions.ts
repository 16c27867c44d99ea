/** Sessions: account sessions (cookie cdw_session) and workshop guest sessions (cdw_guest), stored by token hash. */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { SessionTable, WorkshopGuestSessionTable } from "../schema";

export async function insertSession(db: DB, row: Insertable<SessionTable>): Promise<void> {
  await db.insertInto("sessions").values(row).execute();
}

/** The session's person and organisation; none for a deactivated person, even if a session survived. */
export async function findSessionWithUser(db: DB, sessionHash: string) {
  return db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .innerJoin("organisations", "organisations.id", "users.organisation_id")
    .select([
      "sessions.expires_at",
      "users.id as userId",
      "users.email",
      "users.name",
      "users.system_role as systemRole",
      "organisations.id as organisationId",
      "organisations.name as organisationName",
      "organisations.short_name as organisationShortName",
    ])
    .where("sessions.id_hash", "=", sessionHash)
    .where("users.deactivated_at", "is", null)
    .executeTakeFirst();
}

export async function deleteSession(db: DB, sessionHash: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", sessionHash).execute();
}

export async function insertGuestSession(db: DB, row: Insertable<WorkshopGuestSessionTable>): Promise<void> {
  await db.insertInto("workshop_guest_sessions").values(row).execute();
}

export async function findGuestSessionRow(db: DB, tokenHash: string) {
  return db
    .selectFrom("workshop_guest_sessions as g")
    .innerJoin("workshops as w", "w.id", "g.workshop_id")
    .innerJoin("workshop_participants as p", "p.id", "g.participant_id")
    .select(["g.expires_at", "g.workshop_id", "g.participant_id", "p.display_name", "w.status"])
    .where("g.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export async function deleteGuestSession(db: DB, tokenHash: string): Promise<void> {
  await db.deleteFrom("workshop_guest_sessions").where("token_hash", "=", tokenHash).execute();
}

/** Ends every guest session of a workshop (it closed). */
export async function deleteGuestSessionsOfWorkshop(db: DB, workshopId: string): Promise<void> {
  await db.deleteFrom("workshop_guest_sessions").where("workshop_id", "=", workshopId).execute();
}
