import type { Kysely } from "kysely";
import { int64 } from "./dialect";

/**
 * Issue 13. One inbox and email about it.
 *
 * - notifications.link: where the person acts on it, kept with the row (a decided suggestion, a
 *   workshop invitation and a hidden comment each point somewhere else), so the page, the email
 *   and the digest use the same address.
 * - notification_preferences: per person and per kind of notification, how they hear of it by
 *   email: 'immediate', 'digest' or 'off'. No row: the kind's default. In the app always.
 * - notification_digests: the last notification a person's daily digest covered, so the next holds
 *   exactly what is new (ids, not clocks: two rows written in one millisecond are still told apart).
 * - mail_outbox.headers: extra headers as JSON (List-Unsubscribe, List-Unsubscribe-Post).
 * - app_secrets: the key that signs unsubscribe links, made once per database.
 *
 * Frozen in time: never edit a migration that has shipped; add a new numbered one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("notifications").addColumn("link", "text").execute();
  await db.schema.createIndex("notifications_user_id").on("notifications").columns(["user_id", "id"]).execute();

  await db.schema
    .createTable("notification_preferences")
    .addColumn("user_id", int64(db), (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("delivery", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("notification_preferences_pk", ["user_id", "kind"])
    .execute();

  await db.schema
    .createTable("notification_digests")
    .addColumn("user_id", int64(db), (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("last_notification_id", int64(db), (c) => c.notNull())
    .addColumn("last_sent_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema.alterTable("mail_outbox").addColumn("headers", "text").execute();

  await db.schema
    .createTable("app_secrets")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("app_secrets").execute();
  await db.schema.alterTable("mail_outbox").dropColumn("headers").execute();
  await db.schema.dropTable("notification_digests").execute();
  await db.schema.dropTable("notification_preferences").execute();
  await db.schema.dropIndex("notifications_user_id").execute();
  await db.schema.alterTable("notifications").dropColumn("link").execute();
}
