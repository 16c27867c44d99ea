/**
 * Personal data (issue 13, UK GDPR): a person's own download, an administrator's erasure of a
 * person, and the erasure of closed workshops' guest names after GUEST_RETENTION_DAYS.
 *
 * Erasure keeps contributions and the audit trail (the partnership's record of who agreed what
 * stays whole) under the label "Former member of <organisation>": the person's name and email are
 * replaced by it in their account and in every text column of every table, found from the
 * database itself, so that a name copied into a notification, an email to someone else or an
 * audit row's JSON goes too. One transaction; sockets close right after the commit.
 */
import { inTransaction, nowIso, type DB } from "../../db/connection";
import {
  collectPersonalRows,
  deleteAccessAndMailOf,
  eraseGuestNamesOf,
  findPersonWithOrganisation,
  relabelParticipantsOf,
  replaceInAllText,
  setErasedIdentity,
  workshopsWithGuestNamesToErase,
} from "../../db/queries/personal-data";
import { insertAuditRow } from "../../db/queries/audit";
import { canAdminister, type Actor } from "../policy";
import { audit } from "./admin";
import { DomainError } from "./errors";

export interface PersonalData {
  generatedAt: string;
  profile: { id: number; name: string; email: string; jobTitle: string; organisation: string; role: string; createdAt: string };
  /** Table name → the rows of that table that are about the person. */
  tables: Record<string, Record<string, unknown>[]>;
}

export async function personalDataOf(db: DB, userId: number): Promise<PersonalData> {
  const person = await findPersonWithOrganisation(db, userId);
  if (!person) throw new DomainError(404, "Your account was not found. Sign in again.");
  return {
    generatedAt: nowIso(),
    profile: {
      id: person.id,
      name: person.name,
      email: person.email,
      jobTitle: person.job_title,
      organisation: person.organisationName,
      role: person.system_role,
      createdAt: person.created_at,
    },
    tables: await collectPersonalRows(db, userId),
  };
}

export const erasedLabel = (organisationName: string) => `Former member of ${organisationName}`;

export interface ErasureDeps {
  sync: { closeUser(userId: number, reason: string): number };
}

/** An administrator erases a person; `confirmed` is the admin's explicit confirmation on the form. */
export async function erasePerson(db: DB, deps: ErasureDeps, actor: Actor, userId: number, confirmed: boolean): Promise<string> {
  if (!canAdminister(actor)) throw new DomainError(403, "Only an administrator can erase a person's personal data.");
  if (actor.userId === userId) throw new DomainError(400, "You cannot erase your own account. Ask another administrator.");
  const person = await findPersonWithOrganisation(db, userId);
  if (!person) throw new DomainError(404, "That person was not found. Reload the administration page and choose them again.");
  if (person.erased_at) throw new DomainError(409, "This person's data has already been erased.");
  if (!confirmed) throw new DomainError(400, "Tick the box to confirm you want to erase this person. It cannot be undone.");
  const label = erasedLabel(person.organisationName);
  const at = nowIso();
  await inTransaction(db, async (trx) => {
    await deleteAccessAndMailOf(trx, userId, person.email);
    // The email is unique per account: two erased people of one organisation need two addresses.
    await setErasedIdentity(trx, userId, { name: label, email: `${label} (${userId})`, at });
    await relabelParticipantsOf(trx, userId, label);
    // Longest first: the email may contain the name's words, never the other way round.
    for (const needle of [person.email, person.name].sort((a, b) => b.length - a.length)) {
      await replaceInAllText(trx, needle, label, ["users"]);
    }
    // The audit row names nobody: the subject id is enough to connect it with the trail.
    await audit(trx, actor, "user.erased", String(userId), { label });
  });
  deps.sync.closeUser(userId, "This account has been erased.");
  return label;
}

export const GUEST_LABEL = "Guest (name erased)";

/**
 * Erases the guests' names of workshops closed more than `retentionDays` before `now`. Their
 * ideas, dots and answers stay, under GUEST_LABEL. Returns how many workshops were done.
 */
export async function eraseExpiredGuestNames(db: DB, now: Date, retentionDays: number): Promise<{ workshops: number; guests: number }> {
  const closedBefore = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  const due = await workshopsWithGuestNamesToErase(db, closedBefore);
  let guests = 0;
  for (const w of due) {
    guests += await inTransaction(db, async (trx) => {
      const n = await eraseGuestNamesOf(trx, w.id, GUEST_LABEL, now.toISOString());
      // No person did this: the server's own job, under the configured retention.
      await insertAuditRow(trx, {
        actor_user_id: null,
        actor_organisation_id: null,
        event: "workshop.guest_names_erased",
        subject: w.id,
        detail: JSON.stringify({ guests: n, retentionDays }),
        created_at: now.toISOString(),
      });
      return n;
    });
  }
  return { workshops: due.length, guests };
}
