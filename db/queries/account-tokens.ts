/**
 * Single-use links (issue 13): invitations and password resets. Only the SHA-256 of a token is
 * stored. A token is used by a conditional update (unused, unexpired, that purpose), so two
 * requests racing with one link cannot both succeed.
 */
import type { Kysely, Transaction } from "kysely";
import type { AccountTokenPurpose, Database } from "../schema";

type Q = Kysely<Database> | Transaction<Database>;

export async function insertAccountToken(
  trx: Q,
  t: { tokenHash: string; userId: number; purpose: AccountTokenPurpose; createdBy: number | null; createdAt: Date; expiresAt: Date },
) {
  await trx
    .insertInto("account_tokens")
    .values({
      token_hash: t.tokenHash,
      user_id: t.userId,
      purpose: t.purpose,
      created_by: t.createdBy,
      created_at: t.createdAt.toISOString(),
      expires_at: t.expiresAt.toISOString(),
    })
    .execute();
}

/** The person a still-usable link is for (to greet them on the page), or null. */
export async function findUsableToken(db: Q, tokenHash: string, purpose: AccountTokenPurpose, now: string) {
  return (
    (await db
      .selectFrom("account_tokens")
      .innerJoin("users", "users.id", "account_tokens.user_id")
      .innerJoin("organisations", "organisations.id", "users.organisation_id")
      .select(["users.id as userId", "users.name", "users.email", "organisations.name as organisationName", "account_tokens.expires_at"])
      .where("account_tokens.token_hash", "=", tokenHash)
      .where("account_tokens.purpose", "=", purpose)
      .where("account_tokens.used_at", "is", null)
      .where("account_tokens.expires_at", ">", now)
      .where("users.deactivated_at", "is", null)
      .executeTakeFirst()) ?? null
  );
}

/** Marks the link used; returns its person, or null when it was not usable (used, expired, unknown). */
export async function useAccountToken(trx: Q, tokenHash: string, purpose: AccountTokenPurpose, now: string): Promise<number | null> {
  const row = await trx
    .updateTable("account_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning("user_id")
    .executeTakeFirst();
  return row?.user_id ?? null;
}

/** Every other open link of this person and purpose stops working (a newer one was sent, or one was used). */
export async function retireAccountTokens(trx: Q, userId: number, purposes: AccountTokenPurpose[], now: string) {
  await trx
    .updateTable("account_tokens")
    .set({ used_at: now })
    .where("user_id", "=", userId)
    .where("purpose", "in", purposes)
    .where("used_at", "is", null)
    .execute();
}

/** When this person was last sent a link of this purpose that is still open (to avoid flooding an inbox). */
export async function latestOpenTokenAt(db: Q, userId: number, purpose: AccountTokenPurpose, now: string): Promise<string | null> {
  const row = await db
    .selectFrom("account_tokens")
    .select((eb) => eb.fn.max("created_at").as("at"))
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return (row?.at as string | null | undefined) ?? null;
}
