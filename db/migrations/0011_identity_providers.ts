import type { Kysely } from "kysely";
import { autoId, int64 } from "./dialect";

/**
 * Issue 13: signing in with an organisation's own OpenID Connect provider (Microsoft Entra ID).
 *
 * - identity_providers: one per organisation. The client secret lives here and only here: pages
 *   show whether one is set, never its value.
 * - identity_links: which provider subject (issuer + sub) is which account, written at the first
 *   sign-in, so later sign-ins do not depend on the email claim staying the same.
 * - oidc_sign_in_attempts: the state, nonce and PKCE verifier of a sign-in in progress, kept on the
 *   server and deleted as the callback reads them, so a state can be used once.
 *
 * Frozen in time: never edit a migration that has shipped; add a new numbered one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("identity_providers")
    .addColumn("organisation_id", "text", (c) => c.primaryKey().references("organisations.id").onDelete("cascade"))
    // Exactly the issuer the provider's tokens carry, e.g. https://login.microsoftonline.com/<tenant>/v2.0
    .addColumn("issuer", "text", (c) => c.notNull())
    // Entra's directory (tenant) id; tokens' tid claim must equal it. Empty: no tid check.
    .addColumn("tenant_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("client_secret", "text", (c) => c.notNull())
    // JSON array of lower-case domain names, e.g. ["bury.gov.uk"]
    .addColumn("email_domains", "text", (c) => c.notNull())
    .addColumn("updated_by", int64(db), (c) => c.references("users.id").onDelete("set null"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("identity_links")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("user_id", int64(db), (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("identity_links_issuer_subject", ["issuer", "subject"])
    .execute();
  await db.schema.createIndex("identity_links_user").on("identity_links").column("user_id").execute();

  await db.schema
    .createTable("oidc_sign_in_attempts")
    // sha256 of the state sent to the provider
    .addColumn("state_hash", "text", (c) => c.primaryKey())
    // sha256 of the random value in this browser's short-lived cookie: the callback must come back to it
    .addColumn("browser_hash", "text", (c) => c.notNull())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id").onDelete("cascade"))
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("code_verifier", "text", (c) => c.notNull())
    .addColumn("redirect_uri", "text", (c) => c.notNull())
    .addColumn("return_to", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("oidc_sign_in_attempts_expiry").on("oidc_sign_in_attempts").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("oidc_sign_in_attempts").execute();
  await db.schema.dropTable("identity_links").execute();
  await db.schema.dropTable("identity_providers").execute();
}
