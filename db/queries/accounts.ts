/** Accounts as installation sees them: how many, their password hashes, the first administrator. */
import type { DB } from "../connection";

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

export async function findCredentialsByEmail(db: DB, email: string) {
  return db.selectFrom("users").select(["id", "password_hash"]).where("email", "=", email).executeTakeFirst();
}

export async function listUsersWithOrganisation(db: DB) {
  return db
    .selectFrom("users")
    .innerJoin("organisations", "organisations.id", "users.organisation_id")
    .select(["users.id", "users.name", "users.email", "users.system_role", "organisations.name as organisation_name"])
    .orderBy("organisations.name")
    .orderBy("users.name")
    .execute();
}

export async function anyUserWithEmail(db: DB, emails: string[]): Promise<boolean> {
  const row = await db.selectFrom("users").select("id").where("email", "in", emails).limit(1).executeTakeFirst();
  return row !== undefined;
}
