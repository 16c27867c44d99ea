/** Accounts as installation sees them: how many, their password hashes, the first administrator. */
import type { Insertable, Updateable } from "kysely";
import type { DB } from "../connection";
import type { OrganisationTable, UserTable } from "../schema";

export async function countUsers(db: DB): Promise<number> {
  const row = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listPasswordHashes(db: DB) {
  return db.selectFrom("users").select(["id", "email", "password_hash"]).orderBy("id").execute();
}

export async function findUserIdByEmail(db: DB, email: string) {
  return (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst())?.id ?? null;
}

export async function findOrganisationByName(db: DB, name: string) {
  return (await db.selectFrom("organisations").select(["id", "name"]).where("name", "=", name).executeTakeFirst()) ?? null;
}

export async function organisationIdTaken(db: DB, id: string): Promise<boolean> {
  return (await db.selectFrom("organisations").select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
}

/** A person as the password pages see them; `password_hash` is empty until an invitation is accepted. */
export async function findPersonByEmail(db: DB, email: string) {
  return (
    (await db
      .selectFrom("users")
      .select(["id", "name", "email", "password_hash", "deactivated_at", "organisation_id"])
      .where("email", "=", email)
      .executeTakeFirst()) ?? null
  );
}

export async function findPersonById(db: DB, id: number) {
  return (
    (await db
      .selectFrom("users")
      .innerJoin("organisations", "organisations.id", "users.organisation_id")
      .select([
        "users.id",
        "users.name",
        "users.email",
        "users.password_hash",
        "users.deactivated_at",
        "users.system_role",
        "users.organisation_id",
        "organisations.name as organisationName",
      ])
      .where("users.id", "=", id)
      .executeTakeFirst()) ?? null
  );
}

export async function setPasswordHash(db: DB, userId: number, passwordHash: string) {
  await db.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", userId).execute();
}

/** Ends every session of a person, or every one but `keepSessionHash`. */
export async function endSessionsOf(db: DB, userId: number, keepSessionHash: string | null = null) {
  let q = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (keepSessionHash) q = q.where("id_hash", "!=", keepSessionHash);
  await q.execute();
}

export async function setDeactivated(db: DB, userId: number, at: string | null) {
  await db.updateTable("users").set({ deactivated_at: at }).where("id", "=", userId).execute();
}

export async function findCredentialsByEmail(db: DB, email: string) {
  return db.selectFrom("users").select(["id", "password_hash", "deactivated_at"]).where("email", "=", email).executeTakeFirst();
}

export async function listUsersWithOrganisation(db: DB) {
  return db
    .selectFrom("users")
    .innerJoin("organisations", "organisations.id", "users.organisation_id")
    .select(["users.id", "users.name", "users.email", "users.system_role", "users.deactivated_at", "users.erased_at", "users.password_hash", "organisations.name as organisation_name"])
    .orderBy("organisations.name")
    .orderBy("users.name")
    .execute();
}

export async function anyUserWithEmail(db: DB, emails: string[]): Promise<boolean> {
  const row = await db.selectFrom("users").select("id").where("email", "in", emails).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function findOrganisationById(db: DB, id: string) {
  return (await db.selectFrom("organisations").select(["id", "name"]).where("id", "=", id).executeTakeFirst()) ?? null;
}

/** An organisation that already has this id or this name, if any. */
export async function findOrganisationClash(db: DB, id: string, name: string) {
  return (
    (await db
      .selectFrom("organisations")
      .select("id")
      .where((eb) => eb.or([eb("id", "=", id), eb("name", "=", name)]))
      .executeTakeFirst()) ?? null
  );
}

export async function insertOrganisation(db: DB, row: Insertable<OrganisationTable>): Promise<void> {
  await db.insertInto("organisations").values(row).execute();
}

export async function insertUser(db: DB, row: Insertable<UserTable>): Promise<number> {
  const inserted = await db.insertInto("users").values(row).returning("id").executeTakeFirstOrThrow();
  return inserted.id;
}

/** Name, organisation and partnership role of an account (a re-invitation may change them). */
export async function updateUserProfile(
  db: DB,
  userId: number,
  profile: Pick<Updateable<UserTable>, "name" | "organisation_id" | "system_role">,
): Promise<void> {
  await db.updateTable("users").set(profile).where("id", "=", userId).execute();
}

export async function listOrganisationIds(db: DB): Promise<string[]> {
  return (await db.selectFrom("organisations").select("id").execute()).map((o) => o.id);
}

export async function organisationsByIds(db: DB, ids: readonly string[]) {
  return db.selectFrom("organisations").select(["id", "name"]).where("id", "in", ids).execute();
}

/** People of these organisations, with what a plan-role check needs. */
export async function usersOfOrganisations(db: DB, organisationIds: readonly string[]) {
  return db.selectFrom("users").select(["id", "organisation_id", "system_role"]).where("organisation_id", "in", organisationIds).execute();
}

export async function listOrganisationNames(db: DB) {
  return db.selectFrom("organisations").select(["id", "name", "short_name"]).execute();
}

/** The person's name and their organisation's name, for sentences like "Ann (Bury College) replied". */
export async function findUserAndOrganisationName(db: DB, userId: number) {
  return db
    .selectFrom("users")
    .innerJoin("organisations", "organisations.id", "users.organisation_id")
    .select(["users.name", "organisations.name as organisation_name"])
    .where("users.id", "=", userId)
    .executeTakeFirstOrThrow();
}

export async function listUserOrganisations(db: DB) {
  return db.selectFrom("users").select(["id", "organisation_id"]).execute();
}

/** Inserts an organisation unless its id is taken (the seed's idempotence). */
export async function insertOrganisationIfAbsent(db: DB, row: Insertable<OrganisationTable>): Promise<void> {
  await db.insertInto("organisations").values(row).onConflict((oc) => oc.doNothing()).execute();
}

export async function anyOrganisation(db: DB): Promise<boolean> {
  return (await db.selectFrom("organisations").select("id").limit(1).executeTakeFirst()) !== undefined;
}

export async function listUserNames(db: DB) {
  return db.selectFrom("users").select(["id", "name"]).execute();
}

export async function listOrganisationIdNames(db: DB) {
  return db.selectFrom("organisations").select(["id", "name"]).execute();
}
