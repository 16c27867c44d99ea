/**
 * THE inbox: what asks something of a person or answers them. The dashboard's "Waiting for you",
 * the Notifications page and the header's count all call `inboxFor`, so they cannot disagree.
 *
 * Asks are read from the facts each time (a pending ownership or power-sharing request to the
 * person's organisation, wording it still has to sign, a workshop it is invited to, an action
 * carried into a new plan to confirm), and only for people entitled to answer: once anyone
 * entitled answers, the fact changes and the item is gone for everyone. The notification rows
 * written for asks carry their emails; the live fact is what the page shows, so a request seeded or
 * made before notifications existed still shows. Answers (a mention, a reply, a resolved thread, a
 * decided suggestion, a hidden comment) are notification rows, waiting until the person opens them.
 */
import type { DB } from "../../db/connection";
import {
  notificationRowsOf,
  openWorkshopInvitations,
  pendingOwnershipAsks,
  pendingPowerSharingAsks,
  proposedAgreements,
  signOffsOf,
} from "../../db/queries/notifications";
import { namedOrganisationsOf } from "../../db/queries/agreement-subjects";
import type { NotificationKind } from "../../db/schema";
import { listPlansForActor } from "../domain/plan-visibility";
import { atLeast, canRespondToOwnership, canRespondToPowerSharing, type Actor } from "../policy";
import { ANSWER_KINDS, kindInfo } from "./kinds";
import { legacyHref, planActionHref, proposalHref } from "./links";

export interface InboxItem {
  /** Stable: `ownership:<action>:<organisation>:<role>`, `power-sharing:…`, `sign-off:…`, `workshop:…`, `notification:<id>`. */
  key: string;
  kind: NotificationKind;
  label: string;
  planId: string;
  planTitle: string;
  summary: string;
  /** Where to act. */
  href: string;
  at: string;
  /** Still asks for an answer, or not read yet. */
  waiting: boolean;
  /** Answers are notification rows: opened (and marked read) through the Notifications action. */
  notificationId: number | null;
  /** Ownership asks can be answered in place (dashboard buttons). */
  ownership: { actionId: string; organisationId: string } | null;
}

export interface Inbox {
  waiting: InboxItem[];
  earlier: InboxItem[];
}

export interface InboxPerson extends Actor {
  organisationName: string;
}

const ROLE_WORDS = { lead: "lead", support: "support" } as const;
const LEVEL_WORDS: Record<string, string> = { inform: "be informed", consult: "be consulted", involve: "be involved", collaborate: "collaborate", empower: "be empowered" };

export async function inboxFor(db: DB, person: InboxPerson): Promise<Inbox> {
  const plans = await listPlansForActor(db, person);
  const roleOf = new Map(plans.map((p) => [p.id, p.role]));
  // Archived plans are filtered in the queries (nobody answers on a finished plan).
  const answerable = plans.filter((p) => atLeast(p.role, "editor")).map((p) => p.id);
  const org = person.organisationName;

  const [ownership, powerSharing, proposed, workshops, rows] = await Promise.all([
    pendingOwnershipAsks(db, person.organisationId, answerable),
    pendingPowerSharingAsks(db, person.organisationId, answerable),
    proposedAgreements(db, answerable),
    openWorkshopInvitations(db, person.organisationId, person.userId, plans.map((p) => p.id)),
    notificationRowsOf(db, person.userId, ANSWER_KINDS),
  ]);
  const items: InboxItem[] = [];

  for (const r of ownership) {
    if (!canRespondToOwnership(person, roleOf.get(r.plan_id) ?? "none", { organisation_id: person.organisationId, status: "pending" })) continue;
    const by = r.requested_by_name ? `${r.requested_by_name}${r.requested_by_organisation ? ` (${r.requested_by_organisation})` : ""}` : "A partner";
    const carried = r.carried_from_action_id !== null;
    const kind: NotificationKind = carried ? "carry_forward" : "ownership_request";
    items.push({
      key: `ownership:${r.action_id}:${person.organisationId}:${r.role}`,
      kind,
      label: kindInfo(kind).label,
      planId: r.plan_id,
      planTitle: r.plan_title,
      summary: carried
        ? `“${r.title}” was carried into this plan: confirm that ${org} will still ${ROLE_WORDS[r.role]} it.`
        : `${by} asks ${org} to ${ROLE_WORDS[r.role]} “${r.title}”.`,
      href: planActionHref(r.plan_id, r.action_id),
      at: r.requested_at,
      waiting: true,
      notificationId: null,
      ownership: { actionId: r.action_id, organisationId: person.organisationId },
    });
  }

  for (const r of powerSharing) {
    if (!canRespondToPowerSharing(person, roleOf.get(r.plan_id) ?? "none", { organisation_id: person.organisationId })) continue;
    const by = r.requested_by_organisation ?? r.requested_by_name ?? "A partner";
    items.push({
      key: `power-sharing:${r.action_id}:${r.stage}:${person.organisationId}`,
      kind: "power_sharing_request",
      label: kindInfo("power_sharing_request").label,
      planId: r.plan_id,
      planTitle: r.plan_title,
      summary: `${by} asks ${org} to ${LEVEL_WORDS[r.level] ?? r.level} at the ${r.stage} stage of “${r.title}”.`,
      href: r.plan_kind === "engagement_proposal" ? proposalHref(r.plan_id, `commitment-${r.action_id}`) : planActionHref(r.plan_id, r.action_id),
      at: r.requested_at,
      waiting: true,
      notificationId: null,
      ownership: null,
    });
  }

  if (proposed.length) {
    const ids = proposed.map((p) => p.subject_id);
    const [namedActions, namedSections, mine] = await Promise.all([
      namedOrganisationsOf(db, "action", proposed.filter((p) => p.subject_type === "action").map((p) => p.subject_id)),
      namedOrganisationsOf(db, "proposal_section", proposed.filter((p) => p.subject_type === "proposal_section").map((p) => p.subject_id)),
      signOffsOf(db, person.organisationId, ids),
    ]);
    for (const s of proposed) {
      const named = (s.subject_type === "action" ? namedActions : namedSections).get(s.subject_id) ?? [];
      if (!named.includes(person.organisationId)) continue;
      const last = mine.filter((m) => m.subject_type === s.subject_type && m.subject_id === s.subject_id).at(-1);
      if (last?.kind === "signed" && last.fingerprint === s.fingerprint) continue;
      const title = s.title ?? "a section";
      items.push({
        key: `sign-off:${s.subject_type}:${s.subject_id}`,
        kind: "sign_off_owed",
        label: kindInfo("sign_off_owed").label,
        planId: s.plan_id,
        planTitle: s.plan_title,
        summary: `Partners have signed off the wording of “${title}”; ${org} has not signed these words yet.`,
        href: s.plan_kind === "engagement_proposal" ? proposalHref(s.plan_id, `commitment-${s.subject_id}`) : planActionHref(s.plan_id, s.subject_id),
        at: s.updated_at,
        waiting: true,
        notificationId: null,
        ownership: null,
      });
    }
  }

  for (const w of workshops) {
    if (w.participant_id !== null) continue; // joined: the invitation is answered
    items.push({
      key: `workshop:${w.workshop_id}`,
      kind: "workshop_invitation",
      label: kindInfo("workshop_invitation").label,
      planId: w.plan_id,
      planTitle: w.plan_title,
      summary: `${org} is invited to the workshop “${w.title}”${w.status === "live" ? ", which is on now" : ""}.`,
      href: `/workshops/${encodeURIComponent(w.workshop_id)}`,
      at: w.created_at,
      waiting: true,
      notificationId: null,
      ownership: null,
    });
  }

  for (const n of rows) {
    items.push({
      key: `notification:${n.id}`,
      kind: n.kind,
      label: kindInfo(n.kind).label,
      planId: n.plan_id,
      planTitle: n.plan_title,
      summary: n.summary,
      href: n.link ?? legacyHref(n),
      at: n.created_at,
      waiting: n.read_at === null,
      notificationId: n.id,
      ownership: null,
    });
  }

  items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.key.localeCompare(b.key)));
  return { waiting: items.filter((i) => i.waiting), earlier: items.filter((i) => !i.waiting) };
}
