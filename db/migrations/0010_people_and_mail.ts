import type { Kysely } from "kysely";
import { autoId, int64 } from "./dialect";

/**
 * Issue 13. Email that reaches people, invitations and passwords.
 *
 * - mail_outbox: every email, written in the same transaction as the event that causes it; the
 *   sender in server/mail/ claims, delivers and marks each row (see server/mail/README.md).
 * - account_tokens: single-use links (an invitation, a password reset). Only the SHA-256 of the
 *   token is stored, as for sessions, so a copy of the database holds no usable link.
 * - users.deactivated_at: a deactivated person cannot sign in; their contributions keep their name.
 *
 * Frozen in time: never edit a migration that has shipped; add a new numbered one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("mail_outbox")
    .addColumn("id", int64(db), autoId(db))
    // Random, kept for the Message-ID header: a message sent twice after a crash carries the same id.
    .addColumn("message_key", "text", (c) => c.notNull().unique())
    // 'invitation', 'password_reset', ...: what caused it, for the admin page and for later preferences.
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("to_user_id", int64(db), (c) => c.references("users.id").onDelete("set null"))
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("text_body", "text", (c) => c.notNull())
    .addColumn("html_body", "text", (c) => c.notNull())
    // queued -> sending -> sent | failed (sending -> queued again on a retry)
    .addColumn("state", "text", (c) => c.notNull().defaultTo("queued"))
    .addColumn("attempts", int64(db), (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("claimed_at", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();
  await db.schema.createIndex("mail_outbox_due").on("mail_outbox").columns(["state", "next_attempt_at"]).execute();

  await db.schema
    .createTable("account_tokens")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", int64(db), (c) => c.notNull().references("users.id").onDelete("cascade"))
    // 'invitation' (7 days) or 'password_reset' (1 hour)
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("created_by", int64(db), (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("account_tokens_user").on("account_tokens").columns(["user_id", "purpose"]).execute();

  await db.schema.alterTable("users").addColumn("deactivated_at", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("deactivated_at").execute();
  await db.schema.dropTable("account_tokens").execute();
  await db.schema.dropTable("mail_outbox").execute();
}
