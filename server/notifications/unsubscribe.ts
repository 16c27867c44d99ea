/**
 * One-click unsubscribe links (RFC 8058) that need no sign-in: the link carries the person, what
 * to stop (one kind of notification, or the daily summary) and an HMAC-SHA256 over both with a key
 * this database made for itself (app_secrets). Nothing else is stored; a link stays valid as long
 * as the key, so an old email's link still works. It can only turn email off, never on.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { DB } from "../../db/connection";
import { nowIso } from "../../db/connection";
import { appSecret } from "../../db/queries/notifications";
import type { NotificationKind } from "../../db/schema";
import { isNotificationKind } from "./kinds";

export type UnsubscribeScope = NotificationKind | "digest";

const KEY_NAME = "unsubscribe-link-key";

async function key(db: DB): Promise<Buffer> {
  return Buffer.from(await appSecret(db, KEY_NAME, () => randomBytes(32).toString("base64url"), nowIso()), "base64url");
}

function mac(k: Buffer, userId: number, scope: UnsubscribeScope): Buffer {
  return createHmac("sha256", k).update(`unsubscribe\n${userId}\n${scope}`).digest();
}

export async function unsubscribeToken(db: DB, userId: number, scope: UnsubscribeScope): Promise<string> {
  return `${userId}.${scope}.${mac(await key(db), userId, scope).toString("base64url")}`;
}

/** The person and scope a token names, or null when it was not made by this workspace. */
export async function readUnsubscribeToken(db: DB, token: string): Promise<{ userId: number; scope: UnsubscribeScope } | null> {
  const m = /^(\d{1,12})\.([a-z_]{1,40})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const userId = Number(m[1]);
  const scope = m[2]!;
  if (scope !== "digest" && !isNotificationKind(scope)) return null;
  const expected = mac(await key(db), userId, scope as UnsubscribeScope);
  const given = Buffer.from(m[3]!, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { userId, scope: scope as UnsubscribeScope };
}

/** The headers of RFC 2369 and RFC 8058: mail clients show an Unsubscribe button that POSTs. */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}
