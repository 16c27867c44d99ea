import { createHash, randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import type { DB } from "../../db/connection";
import { nowIso } from "../../db/connection";
import { deleteSession, findSessionWithUser, insertSession } from "../../db/queries/sessions";
import type { SystemRole } from "../../db/schema";

const SESSION_DAYS = 14;

/**
 * The cookie holds a 256-bit random token and nothing else; the database keeps only its hash.
 * No signing secret is needed (the token is unguessable), so sessions survive a restart
 * and several processes agree without sharing a secret.
 */
export function sessionCookie(secure: boolean) {
  return createCookie("cdw_session", {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: SESSION_DAYS * 24 * 60 * 60,
  });
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface SessionUser {
  userId: number;
  sessionHash: string;
  email: string;
  name: string;
  organisationId: string;
  organisationName: string;
  organisationShortName: string;
  systemRole: SystemRole;
}

export async function createSession(
  db: DB,
  userId: number,
  meta: { ip: string; userAgent: string },
): Promise<{ token: string; sessionHash: string }> {
  const token = randomBytes(32).toString("base64url");
  const sessionHash = hashToken(token);
  const now = new Date();
  await insertSession(db, {
    id_hash: sessionHash,
    user_id: userId,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString(),
    ip: meta.ip.slice(0, 64),
    user_agent: meta.userAgent.slice(0, 256),
  });
  return { token, sessionHash };
}

export async function findSessionUser(db: DB, token: unknown): Promise<SessionUser | null> {
  if (typeof token !== "string" || token.length < 20 || token.length > 100) return null;
  const sessionHash = hashToken(token);
  // Deactivation deletes sessions too; the query also keeps a deactivated person out even if one survived.
  const row = await findSessionWithUser(db, sessionHash);
  if (!row) return null;
  if (row.expires_at <= nowIso()) {
    await deleteSession(db, sessionHash);
    return null;
  }
  const { expires_at: _expires, ...user } = row;
  return { ...user, sessionHash };
}

export async function endSession(db: DB, sessionHash: string): Promise<void> {
  await deleteSession(db, sessionHash);
}

/** Reads the session token from a Cookie header; used by HTTP routes and the WebSocket upgrade. */
export async function tokenFromCookieHeader(
  cookie: ReturnType<typeof sessionCookie>,
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
