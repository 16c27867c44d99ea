import type { DB } from "../connection";
import type { IdentityProviderTable, OidcSignInAttemptTable } from "../schema";

/** Everything but the secret: safe to hand to a loader. */
export async function listIdentityProviders(db: DB) {
  return db
    .selectFrom("identity_providers")
    .innerJoin("organisations", "organisations.id", "identity_providers.organisation_id")
    .select([
      "identity_providers.organisation_id",
      "organisations.name as organisation_name",
      "organisations.short_name as organisation_short_name",
      "identity_providers.issuer",
      "identity_providers.tenant_id",
      "identity_providers.client_id",
      "identity_providers.email_domains",
      "identity_providers.updated_at",
    ])
    .orderBy("organisations.name")
    .execute();
}

/** With the secret, for the server's own token request only. */
export async function findIdentityProvider(db: DB, organisationId: string) {
  return db.selectFrom("identity_providers").selectAll().where("organisation_id", "=", organisationId).executeTakeFirst();
}

export async function saveIdentityProvider(db: DB, row: IdentityProviderTable): Promise<void> {
  const { organisation_id: _id, created_at: _created, ...rest } = row;
  await db
    .insertInto("identity_providers")
    .values(row)
    .onConflict((oc) => oc.column("organisation_id").doUpdateSet(rest))
    .execute();
}

export async function deleteIdentityProvider(db: DB, organisationId: string): Promise<number> {
  const res = await db.deleteFrom("identity_providers").where("organisation_id", "=", organisationId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function insertSignInAttempt(db: DB, row: OidcSignInAttemptTable): Promise<void> {
  await db.insertInto("oidc_sign_in_attempts").values(row).execute();
}

/** Reads and deletes in one statement: of two callbacks with one state, only one gets the row. */
export async function takeSignInAttempt(db: DB, stateHash: string) {
  return db.deleteFrom("oidc_sign_in_attempts").where("state_hash", "=", stateHash).returningAll().executeTakeFirst();
}

export async function deleteExpiredSignInAttempts(db: DB, now: string): Promise<void> {
  await db.deleteFrom("oidc_sign_in_attempts").where("expires_at", "<=", now).execute();
}

export async function findLinkedUser(db: DB, issuer: string, subject: string) {
  return db
    .selectFrom("identity_links")
    .innerJoin("users", "users.id", "identity_links.user_id")
    .select(["users.id", "users.email", "users.organisation_id"])
    .where("identity_links.issuer", "=", issuer)
    .where("identity_links.subject", "=", subject)
    .executeTakeFirst();
}

export async function insertIdentityLink(
  db: DB,
  row: { issuer: string; subject: string; user_id: number; organisation_id: string; created_at: string },
): Promise<void> {
  // Two first sign-ins of one person at once: the second finds the link already made.
  await db
    .insertInto("identity_links")
    .values(row)
    .onConflict((oc) => oc.columns(["issuer", "subject"]).doNothing())
    .execute();
}

export async function findUserByEmailInOrganisation(db: DB, email: string, organisationId: string) {
  return db
    .selectFrom("users")
    .select(["id", "email", "organisation_id", "password_hash", "deactivated_at"])
    .where("email", "=", email)
    .where("organisation_id", "=", organisationId)
    .executeTakeFirst();
}

export async function findUserByEmail(db: DB, email: string) {
  return db.selectFrom("users").select(["id", "organisation_id"]).where("email", "=", email).executeTakeFirst();
}
