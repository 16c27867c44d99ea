import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import type { DB } from "../../../db/connection";
import { activeMembersOf } from "../../../db/queries/notifications";
import { notifyPeople } from "../../notifications/notify";
import { inTransaction, nowIso } from "../../../db/connection";
import { organisationsByIds } from "../../../db/queries/accounts";
import { insertAuditRow } from "../../../db/queries/audit";
import {
  agendaItemInUse,
  agendaPositions,
  deleteAgendaItem,
  deleteWorkshopInvitations,
  documentLabel,
  findPlanActionTitle,
  findPlanPriorityTitle,
  findPlanSection,
  findPlanTitle,
  guestCodeTaken,
  insertWorkshop,
  insertWorkshopInvitation,
  invitedOrganisations,
  insertWorkshopItem,
  lastAgendaPosition,
  planPriorityTitles,
  planSections,
  updateWorkshop,
  updateWorkshopItem,
} from "../../../db/queries/workshops";
import type { WorkshopItemKind } from "../../../db/schema";
import { canCreateWorkshop, type Actor } from "../../policy";
import { DomainError } from "../errors";
import { loadPlanRole } from "../plan-access";
import { CODE_ALPHABET, DEFAULT_TIME_BOX_MINUTES, formatGuestCode, normaliseGuestCode } from "../../workshops/guest-code";
import { audit, bumpVersion, recheck, requireItem, type WorkshopAccess, type WorkshopChange } from "./access";

export { DEFAULT_TIME_BOX_MINUTES, formatGuestCode, normaliseGuestCode };

export function newGuestCode(): string {
  const bytes = randomBytes(8);
  return [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("");
}

const Title = z
  .string({ required_error: "Give the workshop a title." })
  .trim()
  .min(3, "Give the workshop a title of at least 3 characters.")
  .max(120, "Keep the workshop title under 120 characters.");
const When = z
  .string({ required_error: "Enter the date and time of the workshop." })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "Enter the date and time of the workshop, like 2025-06-12 10:00.");
const Minutes = z.coerce
  .number({ invalid_type_error: "Give the time box in minutes, as a number." })
  .int("Give the time box in whole minutes.")
  .min(1, "Give each agenda item a time box of at least 1 minute.")
  .max(240, "Keep each agenda item's time box to 4 hours or less.");

export const NewWorkshopInput = z.object({
  planId: z.string().min(1),
  title: Title,
  scheduledFor: When,
  invitedOrganisationIds: z.array(z.string().min(1).max(200)).max(100).default([]),
  agendaFromPlan: z.boolean().default(true),
});
export type NewWorkshopInput = z.infer<typeof NewWorkshopInput>;

export const AgendaItemInput = z.object({
  kind: z.enum(["priority", "action", "section", "general"], { message: "Choose what the agenda item is about." }),
  linkId: z.string().max(200).default(""),
  title: z.string().trim().max(120, "Keep the agenda item's title under 120 characters.").default(""),
  minutes: Minutes,
});
export type AgendaItemInput = z.infer<typeof AgendaItemInput>;

async function requireOrganisations(db: DB, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await organisationsByIds(db, ids);
  if (found.length !== new Set(ids).size) throw new DomainError(400, "Choose invited organisations from the list.");
}

/** The item's link checked against the workshop's plan, and a default title from what it links. */
async function resolveLink(
  db: DB,
  planId: string,
  input: AgendaItemInput,
): Promise<{ kind: WorkshopItemKind; priorityId: string | null; actionId: string | null; documentId: string | null; title: string }> {
  const link = input.linkId.trim();
  switch (input.kind) {
    case "general": {
      if (!input.title) throw new DomainError(400, "Give the agenda item a title, like “Welcome and introductions”.");
      return { kind: "general", priorityId: null, actionId: null, documentId: null, title: input.title };
    }
    case "priority": {
      const p = await findPlanPriorityTitle(db, planId, link);
      if (!p) throw new DomainError(400, "Choose one of this plan's priorities for the agenda item.");
      return { kind: "priority", priorityId: p.id, actionId: null, documentId: null, title: input.title || p.title };
    }
    case "action": {
      const a = await findPlanActionTitle(db, planId, link);
      if (!a) throw new DomainError(400, "Choose one of this plan's actions for the agenda item.");
      return { kind: "action", priorityId: null, actionId: a.id, documentId: null, title: input.title || a.title };
    }
    case "section": {
      const d = await findPlanSection(db, planId, link);
      if (!d) throw new DomainError(400, "Choose a section of this plan or proposal for the agenda item.");
      return { kind: "section", priorityId: null, actionId: null, documentId: d.id, title: input.title || documentLabel(d.kind, d.plain_text) };
    }
  }
}

export async function createWorkshop(db: DB, actor: Actor, input: NewWorkshopInput): Promise<{ id: string; title: string }> {
  const plan = await findPlanTitle(db, input.planId);
  const role = plan ? await loadPlanRole(db, actor, input.planId) : "none";
  if (role === "none") throw new DomainError(404, "There is no plan at this address, or you have not been given access to it.");
  if (!canCreateWorkshop(role)) throw new DomainError(403, "Only a facilitator can set up a workshop on this plan.");
  await requireOrganisations(db, input.invitedOrganisationIds);

  const id = `wsh-${randomUUID()}`;
  const now = nowIso();
  await inTransaction(db, async (trx) => {
    let code = newGuestCode();
    while (await guestCodeTaken(trx, code)) code = newGuestCode();
    await insertWorkshop(trx, {
      id,
      plan_id: input.planId,
      title: input.title,
      scheduled_for: input.scheduledFor,
      guest_code: code,
      current_item_id: null,
      timer_started_at: null,
      locked_by: null,
      locked_at: null,
      created_by: actor.userId,
      created_at: now,
      started_at: null,
      closed_at: null,
      closed_by: null,
    });
    for (const organisationId of new Set(input.invitedOrganisationIds)) {
      await insertWorkshopInvitation(trx, { workshop_id: id, organisation_id: organisationId, invited_by: actor.userId, created_at: now });
    }
    await tellInvited(trx, { id, plan_id: input.planId, title: input.title, scheduled_for: input.scheduledFor }, [...new Set(input.invitedOrganisationIds)], actor);
    if (input.agendaFromPlan) {
      const priorities = await planPriorityTitles(trx, input.planId);
      const items = priorities.length
        ? priorities.map((p) => ({ kind: "priority" as const, priority_id: p.id, document_id: null, title: p.title }))
        : (await planSections(trx, input.planId)).map((d) => ({
            kind: "section" as const,
            priority_id: null,
            document_id: d.id,
            title: documentLabel(d.kind, d.plain_text),
          }));
      for (const [i, item] of items.entries()) {
        await insertWorkshopItem(trx, {
          workshop_id: id,
          position: i + 1,
          title: item.title.slice(0, 120),
          kind: item.kind,
          priority_id: item.priority_id,
          action_id: null,
          document_id: item.document_id,
          time_box_minutes: DEFAULT_TIME_BOX_MINUTES,
          created_at: now,
        });
      }
    }
    await insertAuditRow(trx, {
      actor_user_id: actor.userId,
      actor_organisation_id: actor.organisationId,
      event: "workshop.created",
      subject: `workshop:${id}`,
      detail: JSON.stringify({ planId: input.planId, title: input.title }),
      created_at: now,
    });
  });
  return { id, title: input.title };
}

export async function updateDetails(
  db: DB,
  access: WorkshopAccess,
  input: { title: string; scheduledFor: string },
): Promise<WorkshopChange> {
  const parsed = z.object({ title: Title, scheduledFor: When }).parse(input);
  await inTransaction(db, async (trx) => {
    await recheck(trx, access, "workshop:run");
    await updateWorkshop(trx, access.workshop.id, { title: parsed.title, scheduled_for: parsed.scheduledFor });
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: "Saved the workshop's title and time.", parts: ["control"] };
}

export async function addAgendaItem(db: DB, access: WorkshopAccess, raw: unknown): Promise<WorkshopChange> {
  const input = AgendaItemInput.parse(raw);
  const link = await resolveLink(db, access.workshop.plan_id, input);
  await inTransaction(db, async (trx) => {
    await recheck(trx, access, "workshop:run");
    const last = await lastAgendaPosition(trx, access.workshop.id);
    await insertWorkshopItem(trx, {
      workshop_id: access.workshop.id,
      position: last + 1,
      title: link.title.slice(0, 120),
      kind: link.kind,
      priority_id: link.priorityId,
      action_id: link.actionId,
      document_id: link.documentId,
      time_box_minutes: input.minutes,
      created_at: nowIso(),
    });
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: `Added “${link.title}” to the agenda.`, parts: ["agenda"] };
}

export async function updateAgendaItem(
  db: DB,
  access: WorkshopAccess,
  input: { itemId: number; title: string; minutes: unknown },
): Promise<WorkshopChange> {
  const minutes = Minutes.parse(input.minutes);
  const title = z.string().trim().min(1, "Give the agenda item a title.").max(120, "Keep the agenda item's title under 120 characters.").parse(input.title);
  await inTransaction(db, async (trx) => {
    await recheck(trx, access, "workshop:run");
    await requireItem(trx, access.workshop.id, input.itemId);
    await updateWorkshopItem(trx, input.itemId, { title, time_box_minutes: minutes });
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: `Saved “${title}”.`, parts: ["agenda"] };
}

export async function moveAgendaItem(
  db: DB,
  access: WorkshopAccess,
  input: { itemId: number; direction: "up" | "down" },
): Promise<WorkshopChange> {
  await inTransaction(db, async (trx) => {
    await recheck(trx, access, "workshop:run");
    const items = await agendaPositions(trx, access.workshop.id);
    const index = items.findIndex((i) => i.id === input.itemId);
    if (index < 0) {
        await requireItem(trx, access.workshop.id, input.itemId);
    }
    const other = input.direction === "up" ? index - 1 : index + 1;
    if (other < 0 || other >= items.length) {
      throw new DomainError(409, `That item is already ${input.direction === "up" ? "first" : "last"} on the agenda.`);
    }
    // Renumber all, so positions stay 1..n whatever happened before.
    const order = items.map((i) => i.id);
    [order[index], order[other]] = [order[other]!, order[index]!];
    for (const [i, id] of order.entries()) {
      await updateWorkshopItem(trx, id, { position: i + 1 });
    }
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: "Moved the agenda item.", parts: ["agenda"] };
}

export async function removeAgendaItem(db: DB, access: WorkshopAccess, input: { itemId: number }): Promise<WorkshopChange> {
  let title = "";
  await inTransaction(db, async (trx) => {
    const fresh = await recheck(trx, access, "workshop:run");
    const item = await requireItem(trx, access.workshop.id, input.itemId);
    title = item.title;
    if (fresh.workshop.current_item_id === item.id) {
      throw new DomainError(409, "The room is on this item now. Move to another item before removing it.");
    }
    if (await agendaItemInUse(trx, item.id)) {
      throw new DomainError(409, "This item already has ideas, votes or decisions, so it stays in the workshop record.");
    }
    await deleteAgendaItem(trx, item.id);
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: `Removed “${title}” from the agenda.`, parts: ["agenda"] };
}

/** The people of newly invited organisations are told (and emailed) in the invitation's transaction. */
async function tellInvited(
  trx: DB,
  workshop: { id: string; plan_id: string; title: string; scheduled_for: string },
  organisationIds: string[],
  actor: Actor | null,
): Promise<void> {
  if (organisationIds.length === 0) return;
  const members = await activeMembersOf(trx, organisationIds);
  const when = new Date(workshop.scheduled_for);
  const on = Number.isNaN(when.getTime()) ? workshop.scheduled_for : when.toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/London" });
  await notifyPeople(
    trx,
    {
      kind: "workshop_invitation",
      planId: workshop.plan_id,
      summary: `Your organisation is invited to the workshop “${workshop.title}”, on ${on}.`,
      link: `/workshops/${encodeURIComponent(workshop.id)}`,
      actor,
    },
    members.map((m) => m.id),
  );
}

export async function setInvitations(
  db: DB,
  access: WorkshopAccess,
  input: { organisationIds: string[] },
): Promise<WorkshopChange> {
  const ids = [...new Set(input.organisationIds)];
  await requireOrganisations(db, ids);
  await inTransaction(db, async (trx) => {
    await recheck(trx, access, "workshop:run");
    const before = new Set((await invitedOrganisations(trx, access.workshop.id)).map((o) => o.id));
    await deleteWorkshopInvitations(trx, access.workshop.id);
    const now = nowIso();
    for (const organisationId of ids) {
      await insertWorkshopInvitation(trx, {
        workshop_id: access.workshop.id,
        organisation_id: organisationId,
        invited_by: access.principal.kind === "user" ? access.principal.actor.userId : null,
        created_at: now,
      });
    }
    await audit(trx, access, "workshop.invitations", { organisationIds: ids });
    await bumpVersion(trx, access.workshop.id);
    // Newly invited organisations' people are told (and emailed) with the invitation itself.
    await tellInvited(trx, access.workshop, ids.filter((id) => !before.has(id)), access.principal.kind === "user" ? access.principal.actor : null);
  });
  return {
    workshopId: access.workshop.id,
    summary: ids.length ? `Invited ${ids.length} organisation${ids.length === 1 ? "" : "s"}.` : "No organisations are invited now.",
    parts: ["control"],
  };
}
