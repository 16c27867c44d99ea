/**
 * The mail outbox (issue 13). A message is queued with the transaction of the event that causes
 * it, so it exists exactly when the event does; server/mail/sender.ts claims, delivers and marks
 * it. Every function takes `db` or a transaction first.
 */
import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Database, MailState } from "../schema";

type Q = Kysely<Database> | Transaction<Database>;

export interface OutgoingMail {
  kind: string;
  to: string;
  toUserId?: number | null;
  subject: string;
  text: string;
  html: string;
  /** Extra headers (List-Unsubscribe and List-Unsubscribe-Post on notification emails). */
  headers?: Record<string, string>;
}

/** Queues one message; pass the transaction of the event that causes it. */
export async function queueMail(trx: Q, mail: OutgoingMail, now = new Date()): Promise<number> {
  const row = await trx
    .insertInto("mail_outbox")
    .values({
      message_key: randomUUID(),
      kind: mail.kind,
      to_address: mail.to,
      to_user_id: mail.toUserId ?? null,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      headers: mail.headers ? JSON.stringify(mail.headers) : null,
      state: "queued",
      attempts: 0,
      next_attempt_at: now.toISOString(),
      created_at: now.toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Messages due for an attempt, oldest first. */
export async function listDueMail(db: Q, now: string, limit: number) {
  return db
    .selectFrom("mail_outbox")
    .select(["id", "message_key", "to_address", "subject", "text_body", "html_body", "headers", "attempts"])
    .where("state", "=", "queued")
    .where("next_attempt_at", "<=", now)
    .orderBy("id")
    .limit(limit)
    .execute();
}

/** When the next queued message falls due (ISO), or null when none waits. */
export async function nextDueAt(db: Q): Promise<string | null> {
  const row = await db
    .selectFrom("mail_outbox")
    .select((eb) => eb.fn.min("next_attempt_at").as("due"))
    .where("state", "=", "queued")
    .executeTakeFirst();
  return (row?.due as string | null | undefined) ?? null;
}

/**
 * Claims one queued message for sending. Returns false when someone else claimed it first (or
 * it is no longer queued): the conditional update is the lock, on SQLite and PostgreSQL alike.
 */
export async function claimMail(db: Q, id: number, now: string): Promise<boolean> {
  const res = await db
    .updateTable("mail_outbox")
    .set({ state: "sending", claimed_at: now })
    .where("id", "=", id)
    .where("state", "=", "queued")
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function markMailSent(db: Q, id: number, now: string): Promise<void> {
  await db
    .updateTable("mail_outbox")
    .set((eb) => ({ state: "sent", sent_at: now, last_error: null, attempts: eb("attempts", "+", 1) }))
    .where("id", "=", id)
    .execute();
}

/** A failed attempt: back to the queue for `retryAt`, or failed for good when `retryAt` is null. */
export async function markMailAttemptFailed(db: Q, id: number, error: string, retryAt: string | null): Promise<void> {
  await db
    .updateTable("mail_outbox")
    .set((eb) => ({
      state: retryAt === null ? "failed" : "queued",
      next_attempt_at: retryAt ?? eb.ref("next_attempt_at"),
      claimed_at: null,
      last_error: error.slice(0, 1000),
      attempts: eb("attempts", "+", 1),
    }))
    .where("id", "=", id)
    .execute();
}

/**
 * Messages a previous process claimed and never marked (it stopped between claim and mark): back
 * to the queue, to be sent again with the same Message-ID. See server/mail/README.md.
 */
export async function requeueAbandonedMail(db: Q, now: string): Promise<number> {
  const res = await db
    .updateTable("mail_outbox")
    .set({ state: "queued", claimed_at: null, next_attempt_at: now, last_error: "the server stopped while sending; sent again" })
    .where("state", "=", "sending")
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function listOutbox(db: Q, limit = 200) {
  return db
    .selectFrom("mail_outbox")
    .select(["id", "kind", "to_address", "subject", "state", "attempts", "last_error", "created_at", "sent_at", "next_attempt_at"])
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

export async function findOutboxMessage(db: Q, id: number) {
  return (
    (await db
      .selectFrom("mail_outbox")
      .select(["id", "kind", "to_address", "subject", "text_body", "state", "attempts", "last_error", "created_at", "sent_at"])
      .where("id", "=", id)
      .executeTakeFirst()) ?? null
  );
}

export async function countOutboxByState(db: Q): Promise<Record<MailState, number>> {
  const rows = await db
    .selectFrom("mail_outbox")
    .select(["state", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("state")
    .execute();
  const out: Record<MailState, number> = { queued: 0, sending: 0, sent: 0, failed: 0 };
  for (const r of rows) out[r.state as MailState] = Number(r.n);
  return out;
}

/** Drops notification emails still queued (the demo data's own events are nobody's news). */
export async function discardQueuedNotificationMail(db: Q): Promise<number> {
  const res = await db.deleteFrom("mail_outbox").where("kind", "like", "notification:%").where("state", "=", "queued").executeTakeFirst();
  return Number(res.numDeletedRows);
}
