/**
 * People's accounts (issue 13): invitations, passwords set by their owner through single-use
 * links, changing one's own password, deactivation. Each fact is written with its audit row, its
 * email (outbox) and its ended sessions in one transaction; open sync sockets are closed right
 * after the commit, in the same operation, so every caller gets it.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import {
  endSessionsOf,
  findPersonByEmail,
  findOrganisationById,
  findPersonById,
  insertUser,
  setDeactivated,
  setPasswordHash,
  updateUserProfile,
} from "../../db/queries/accounts";
import { insertAccountToken, latestOpenTokenAt, retireAccountTokens, useAccountToken } from "../../db/queries/account-tokens";
import { queueMail } from "../../db/queries/mail-outbox";
import type { AccountTokenPurpose, SystemRole } from "../../db/schema";
import { DEMO_PASSWORD } from "../../seeds/data";
import { hashPassword, verifyPassword } from "../auth/passwords";
import { hashToken } from "../auth/sessions";
import { invitationEmail, passwordResetEmail } from "../mail/templates";
import { canDeactivate, canInvite, type Actor } from "../policy";
import { audit } from "./admin";
import { DomainError } from "./errors";

export const INVITATION_DAYS = 7;
export const RESET_MINUTES = 60;
/** A second reset email within this time is not sent (someone pressing the button repeatedly, or a flood). */
const RESET_RESEND_AFTER_MS = 60_000;

export interface PeopleDeps {
  sync: { closeUser(userId: number, reason: string, exceptSessionHash?: string | null): number };
  mail: { nudge(): void };
}

const ROLE_LABEL: Record<SystemRole, string> = { member: "member", facilitator: "facilitator", admin: "administrator" };

export const Invitation = z.object({
  email: z.string().trim().toLowerCase().email("Enter the person's email address, like name@organisation.org.uk."),
  name: z.string().trim().min(2, "Enter the person's name.").max(120),
  organisationId: z.string().min(1, "Choose the person's organisation."),
  systemRole: z.enum(["member", "facilitator", "admin"], { message: "Choose the person's partnership role." }),
});

export const NewPassword = z
  .object({
    password: z
      .string()
      .min(12, "Choose a password of at least 12 characters. A few unrelated words make a good one.")
      .max(200, "Choose a password of at most 200 characters.")
      .refine((p) => p !== DEMO_PASSWORD, "That is the published demo password: choose another."),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { message: "The two passwords are not the same. Type the same password twice.", path: ["confirm"] });

function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token) };
}

/**
 * Invites a person: their account (with no password until they choose one), a link valid
 * INVITATION_DAYS, the email, the audit row. Inviting again someone who has not accepted yet
 * sends a new link and retires the old ones.
 */
export async function invitePerson(
  db: DB,
  deps: PeopleDeps,
  actor: Actor,
  input: z.infer<typeof Invitation>,
  linkOrigin: string,
): Promise<{ userId: number }> {
  if (!canInvite(actor, input.systemRole)) {
    throw new DomainError(403, input.systemRole === "admin" && actor.systemRole === "facilitator"
      ? "Only an administrator can invite another administrator. Choose member or facilitator."
      : "Only an administrator or a facilitator can invite people.");
  }
  const org = await findOrganisationById(db, input.organisationId);
  if (!org) throw new DomainError(400, "Choose the person's organisation from the list.");
  const inviter = await findPersonById(db, actor.userId);
  const existing = await findPersonByEmail(db, input.email);
  if (existing && existing.password_hash !== "") throw new DomainError(409, `There is already an account for ${input.email}.`);
  if (existing?.deactivated_at) throw new DomainError(409, `The account for ${input.email} is deactivated. Reactivate it instead.`);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
  const { token, tokenHash } = newToken();
  const userId = await inTransaction(db, async (trx) => {
    let id: number;
    if (existing) {
      id = existing.id;
      await updateUserProfile(trx, id, { name: input.name, organisation_id: org.id, system_role: input.systemRole });
      await retireAccountTokens(trx, id, ["invitation"], now.toISOString());
    } else {
      id = await insertUser(trx, {
        email: input.email,
        name: input.name,
        organisation_id: org.id,
        // Nobody's password: no hash verifies against it, so the account cannot sign in until
        // its owner chooses one through the link.
        password_hash: "",
        system_role: input.systemRole,
        created_at: now.toISOString(),
      });
    }
    await insertAccountToken(trx, { tokenHash, userId: id, purpose: "invitation", createdBy: actor.userId, createdAt: now, expiresAt });
    await queueMail(trx, {
      kind: "invitation",
      to: input.email,
      toUserId: id,
      ...invitationEmail({
        name: input.name,
        inviterName: inviter?.name ?? "Your partnership administrator",
        organisationName: org.name,
        roleLabel: ROLE_LABEL[input.systemRole],
        link: `${linkOrigin}/welcome?token=${token}`,
        expiresAt,
      }),
    });
    await audit(trx, actor, existing ? "user.reinvited" : "user.invited", String(id), {
      email: input.email,
      organisationId: org.id,
      systemRole: input.systemRole,
    });
    return id;
  });
  deps.mail.nudge();
  return { userId };
}

/**
 * "Forgot your password?": queues a link valid RESET_MINUTES for an active account, and does
 * nothing at all for an unknown or deactivated address. The caller answers the same either way.
 */
export async function requestPasswordReset(db: DB, deps: PeopleDeps, email: string, linkOrigin: string): Promise<void> {
  const person = await findPersonByEmail(db, email);
  if (!person || person.deactivated_at) return;
  const now = new Date();
  const last = await latestOpenTokenAt(db, person.id, "password_reset", now.toISOString());
  if (last && now.getTime() - Date.parse(last) < RESET_RESEND_AFTER_MS) return;
  const expiresAt = new Date(now.getTime() + RESET_MINUTES * 60_000);
  const { token, tokenHash } = newToken();
  await inTransaction(db, async (trx) => {
    // Only the newest link works: an older email found later in an inbox does nothing.
    await retireAccountTokens(trx, person.id, ["password_reset"], now.toISOString());
    await insertAccountToken(trx, { tokenHash, userId: person.id, purpose: "password_reset", createdBy: null, createdAt: now, expiresAt });
    await queueMail(trx, {
      kind: "password_reset",
      to: person.email,
      toUserId: person.id,
      ...passwordResetEmail({ name: person.name, link: `${linkOrigin}/reset-password?token=${token}`, expiresAt }),
    });
    await audit(trx, { userId: person.id, organisationId: person.organisation_id, systemRole: "member" }, "user.password_reset_requested", String(person.id), {});
  });
  deps.mail.nudge();
}

const LINK_REFUSED: Record<AccountTokenPurpose, string> = {
  invitation:
    "This invitation link has already been used, or it has expired (invitations last 7 days). If you have already chosen a password, sign in. Otherwise ask the person who invited you to send a new invitation.",
  password_reset:
    "This link has already been used, or it has expired (links last one hour). Ask for a new one on the “Forgot your password?” page.",
};

/**
 * The owner of a link sets their password: the link is used up, every other link of theirs
 * retired, every session ended and every sync socket closed. The caller then signs them in.
 */
export async function setPasswordWithLink(
  db: DB,
  deps: PeopleDeps,
  purpose: AccountTokenPurpose,
  token: string,
  input: { password: string; confirm: string },
): Promise<{ userId: number }> {
  const parsed = NewPassword.safeParse(input);
  if (!parsed.success) throw new DomainError(400, parsed.error.issues[0]!.message);
  const passwordHash = await hashPassword(parsed.data.password);
  const now = nowIso();
  const userId = await inTransaction(db, async (trx) => {
    const id = await useAccountToken(trx, hashToken(token), purpose, now);
    if (id === null) throw new DomainError(410, LINK_REFUSED[purpose]);
    const person = await findPersonById(trx, id);
    if (!person || person.deactivated_at) throw new DomainError(410, "This account has been deactivated. Ask your partnership administrator if you need it again.");
    await setPasswordHash(trx, id, passwordHash);
    await retireAccountTokens(trx, id, ["invitation", "password_reset"], now);
    await endSessionsOf(trx, id);
    const actor = { userId: id, organisationId: person.organisation_id, systemRole: person.system_role };
    await audit(trx, actor, purpose === "invitation" ? "user.invitation_accepted" : "user.password_reset", String(id), {});
    return id;
  });
  deps.sync.closeUser(userId, "Your password was changed. Sign in again with the new one.");
  return { userId };
}

/** Changing one's own password (signed in): the current one is asked; other sessions end. */
export async function changeOwnPassword(
  db: DB,
  deps: PeopleDeps,
  actor: Actor,
  sessionHash: string,
  input: { current: string; password: string; confirm: string },
): Promise<void> {
  const person = await findPersonById(db, actor.userId);
  if (!person) throw new DomainError(404, "Your account was not found. Sign in again.");
  if (!(await verifyPassword(person.password_hash, input.current))) {
    throw new DomainError(400, "Your current password is not right. Type it again, or use “Forgot your password?” on the sign-in page.");
  }
  const parsed = NewPassword.safeParse(input);
  if (!parsed.success) throw new DomainError(400, parsed.error.issues[0]!.message);
  const passwordHash = await hashPassword(parsed.data.password);
  const now = nowIso();
  await inTransaction(db, async (trx) => {
    await setPasswordHash(trx, actor.userId, passwordHash);
    await retireAccountTokens(trx, actor.userId, ["password_reset"], now);
    await endSessionsOf(trx, actor.userId, sessionHash);
    await audit(trx, actor, "user.password_changed", String(actor.userId), {});
  });
  deps.sync.closeUser(actor.userId, "Your password was changed. Sign in again with the new one.", sessionHash);
}

/** Deactivation: no sign-in, sessions ended, sockets closed; contributions keep the person's name. */
export async function setPersonActive(db: DB, deps: PeopleDeps, actor: Actor, userId: number, active: boolean): Promise<string> {
  if (!canDeactivate(actor, userId)) {
    throw new DomainError(403, actor.userId === userId ? "You cannot deactivate your own account. Ask another administrator." : "Only an administrator can deactivate or reactivate people.");
  }
  const person = await findPersonById(db, userId);
  if (!person) throw new DomainError(404, "That person was not found. Reload the page and try again.");
  if (active === (person.deactivated_at === null)) return person.name;
  const now = nowIso();
  await inTransaction(db, async (trx) => {
    await setDeactivated(trx, userId, active ? null : now);
    if (!active) {
      await endSessionsOf(trx, userId);
      await retireAccountTokens(trx, userId, ["invitation", "password_reset"], now);
    }
    await audit(trx, actor, active ? "user.reactivated" : "user.deactivated", String(userId), { email: person.email });
  });
  if (!active) deps.sync.closeUser(userId, "Your account has been deactivated.");
  return person.name;
}
