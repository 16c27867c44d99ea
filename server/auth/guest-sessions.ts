import { randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import type { Kysely } from "kysely";
import type { DB } from "../../db/connection";
import { nowIso } from "../../db/connection";
import { deleteGuestSession, findGuestSessionRow, insertGuestSession } from "../../db/queries/sessions";
import type { Database } from "../../db/schema";
import { hashToken } from "./sessions";

/** A guest's session lasts at most a day; closing the workshop ends it sooner. */
const GUEST_HOURS = 24;

/**
 * A separate cookie from the account session, sent only to /workshops/* (the browser does not
 * even send it to plan pages or the sync socket). The server also checks that the workshop in
 * the URL is the one the guest joined: a guest session opens nothing else.
 */
export function guestCookie(secure: boolean) {
  return createCookie("cdw_guest", {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/workshops",
    maxAge: GUEST_HOURS * 60 * 60,
  });
}

export interface GuestSession {
  tokenHash: string;
  workshopId: string;
  participantId: number;
  displayName: string;
}

export async function createGuestSession(
  db: Kysely<Database>,
  workshopId: string,
  participantId: number,
): Promise<{ token: string; tokenHash: string }> {
  const token = randomBytes(32).toString("base64url");
  const tokenHash = hashToken(token);
  const now = new Date();
  await insertGuestSession(db, {
    token_hash: tokenHash,
    workshop_id: workshopId,
    participant_id: participantId,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + GUEST_HOURS * 3_600_000).toISOString(),
  });
  return { token, tokenHash };
}

/** null for unknown, expired or closed-workshop sessions (expired rows are removed). */
export async function findGuestSession(db: DB, token: unknown): Promise<GuestSession | null> {
  if (typeof token !== "string" || token.length < 20 || token.length > 100) return null;
  const tokenHash = hashToken(token);
  const row = await findGuestSessionRow(db, tokenHash);
  if (!row) return null;
  if (row.expires_at <= nowIso() || row.status === "closed") {
    await deleteGuestSession(db, tokenHash);
    return null;
  }
  return { tokenHash, workshopId: row.workshop_id, participantId: row.participant_id, displayName: row.display_name };
}

export async function guestTokenFromCookieHeader(
  cookie: ReturnType<typeof guestCookie>,
  header: string | null | undefined,
): Promise<string | null> {
  if (!header) return null;
  try {
    const value = await cookie.parse(header);
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}
