import type { Insertable, Kysely, Transaction, Updateable } from "kysely";
import type { DB } from "../connection";
import type {
  Database,
  WorkshopItemKind,
  WorkshopParticipantKind,
  WorkshopStatus,
  WorkshopDecisionTable,
  WorkshopInvitationTable,
  WorkshopItemTable,
  WorkshopParticipantTable,
  WorkshopTable,
  WorkshopVoteSubject,
} from "../schema";

import { readIdeaEdits, type IdeaEdit } from "./workshop-ideas";
import { readMyAnswers, readPolls, type MyAnswer, type PollView } from "./workshop-polls";

type Reader = Kysely<Database> | Transaction<Database>;

// ---------------------------------------------------------------------------------------------
// The live state of a workshop, in parts. Pages get all parts at once (loader, and on every
// (re)connection of the event stream), then only the parts that changed. Every part carries the
// workshop's version, read in the same transaction, so a page never goes back to older state.
// ---------------------------------------------------------------------------------------------

/** Server time, epoch ms. Running: remaining at startedAt. Paused: remaining now. */
export interface TimerState {
  totalMs: number;
  remainingMs: number;
  startedAt: number | null;
}

export interface ControlPart {
  status: WorkshopStatus;
  currentItemId: number | null;
  timer: TimerState;
  planLocked: boolean;
  /** Ideas are stored and shown with no person or organisation. */
  anonymousIdeas: boolean;
  /** Moving to an item starts its timer at once. */
  autoStartTimer: boolean;
}

export interface AgendaItemView {
  id: number;
  position: number;
  title: string;
  kind: WorkshopItemKind;
  minutes: number;
  linkLabel: string | null;
  /** What the room reads for this item: the priority's description, the action's text... */
  detail: string;
  priorityId: string | null;
  actionId: string | null;
}

export interface IdeaView {
  id: number;
  text: string;
  /** Null for an anonymous idea: nobody, the facilitator included, knows whose it is. */
  participantId: number | null;
  byLabel: string;
  /** The words were changed after the idea was added. */
  edited: IdeaEdit | null;
  groupId: number | null;
  merged: { id: number; text: string }[];
  capturing: boolean;
  captured: { actionId: string; title: string } | null;
}

export interface BoardPart {
  itemId: number;
  ideas: IdeaView[];
  groups: { id: number; label: string }[];
}

export interface VoteResult {
  optionId: number;
  label: string;
  count: number;
  rank: number;
}

export interface VoteView {
  id: number;
  itemId: number;
  title: string;
  subject: WorkshopVoteSubject;
  allowance: number;
  status: "open" | "closed";
  revealed: boolean;
  revealedAt: string | null;
  options: { id: number; label: string }[];
  dotsCast: number;
  voters: number;
  /** Only once revealed: nobody, the facilitator included, sees counts before. */
  results: VoteResult[] | null;
}

export interface DecisionView {
  id: number;
  itemId: number | null;
  text: string;
  action: { id: string; title: string; lead: { organisationName: string; status: string } | null } | null;
  recordedBy: string | null;
  createdAt: string;
}

export interface ParticipantView {
  id: number;
  name: string;
  organisation: string | null;
  kind: WorkshopParticipantKind;
  online: boolean;
}

export interface MinePart {
  participantId: number | null;
  /** voteId -> optionId -> dots this person placed. */
  dots: Record<number, Record<number, number>>;
  /** pollId -> this person's current answer. */
  answers: Record<number, MyAnswer>;
}

export interface WorkshopSnapshot {
  version: number;
  control: ControlPart;
  agenda: AgendaItemView[];
  boards: BoardPart[];
  votes: VoteView[];
  polls: PollView[];
  decisions: DecisionView[];
  participants: ParticipantView[];
  mine: MinePart;
}

export type PartName = "control" | "agenda" | "board" | "votes" | "polls" | "decisions" | "participants";

export async function loadWorkshop(db: Reader, workshopId: string) {
  return db.selectFrom("workshops").selectAll().where("id", "=", workshopId).executeTakeFirst();
}

async function version(db: Reader, workshopId: string): Promise<number> {
  const row = await db.selectFrom("workshops").select("version").where("id", "=", workshopId).executeTakeFirst();
  return row?.version ?? 0;
}

export async function readControl(db: Reader, workshopId: string): Promise<ControlPart | null> {
  const w = await loadWorkshop(db, workshopId);
  if (!w) return null;
  return {
    status: w.status,
    currentItemId: w.current_item_id,
    timer: { totalMs: w.timer_total_ms, remainingMs: w.timer_remaining_ms, startedAt: w.timer_started_at },
    planLocked: w.plan_locked === 1 && w.status !== "closed",
    anonymousIdeas: w.anonymous_ideas === 1,
    autoStartTimer: w.auto_start_timer === 1,
  };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

export function documentLabel(kind: string, plainText: string): string {
  const name = kind === "plan_overview" ? "Overview" : kind.replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase());
  const first = plainText.trim().split(/\n/)[0] ?? "";
  return first ? `${name}: ${clip(first, 60)}` : name;
}

export async function readAgenda(db: Reader, workshopId: string): Promise<AgendaItemView[]> {
  const rows = await db
    .selectFrom("workshop_items as i")
    .leftJoin("priorities as p", "p.id", "i.priority_id")
    .leftJoin("actions as a", "a.id", "i.action_id")
    .leftJoin("documents as ad", "ad.id", "a.document_id")
    .leftJoin("documents as d", "d.id", "i.document_id")
    .select([
      "i.id",
      "i.position",
      "i.title",
      "i.kind",
      "i.time_box_minutes",
      "i.priority_id",
      "i.action_id",
      "p.code as priority_code",
      "p.title as priority_title",
      "p.description as priority_description",
      "a.title as action_title",
      "a.priority_id as action_priority_id",
      "ad.plain_text as action_text",
      "d.kind as document_kind",
      "d.plain_text as document_text",
    ])
    .where("i.workshop_id", "=", workshopId)
    .orderBy("i.position")
    .orderBy("i.id")
    .execute();
  return rows.map((r) => {
    let linkLabel: string | null = null;
    let detail = "";
    if (r.kind === "priority" && r.priority_title) {
      linkLabel = `Priority ${r.priority_code ? `${r.priority_code} ` : ""}${r.priority_title}`;
      detail = r.priority_description ?? "";
    } else if (r.kind === "action" && r.action_title) {
      linkLabel = `Action: ${r.action_title}`;
      detail = r.action_text ?? "";
    } else if (r.kind === "section" && r.document_kind) {
      linkLabel = `Section: ${documentLabel(r.document_kind, r.document_text ?? "")}`;
      detail = r.document_text ?? "";
    }
    return {
      id: r.id,
      position: r.position,
      title: r.title,
      kind: r.kind,
      minutes: r.time_box_minutes,
      linkLabel,
      detail: clip(detail, 1500),
      priorityId: r.priority_id ?? r.action_priority_id ?? null,
      actionId: r.action_id,
    };
  });
}

export async function readBoards(db: Reader, workshopId: string, itemId?: number): Promise<BoardPart[]> {
  let ideasQuery = db
    .selectFrom("workshop_ideas as i")
    .leftJoin("workshop_participants as p", "p.id", "i.participant_id")
    .leftJoin("organisations as o", "o.id", "p.organisation_id")
    .leftJoin("actions as a", "a.id", "i.captured_action_id")
    .select([
      "i.id",
      "i.item_id",
      "i.text",
      "i.participant_id",
      "i.group_id",
      "i.merged_into_id",
      "i.capture_status",
      "i.captured_action_id",
      "a.title as action_title",
      "p.kind as participant_kind",
      "o.short_name as organisation",
    ])
    .where("i.workshop_id", "=", workshopId)
    .where("i.removed_at", "is", null)
    .orderBy("i.id");
  let groupsQuery = db
    .selectFrom("workshop_idea_groups")
    .select(["id", "item_id", "label"])
    .where("workshop_id", "=", workshopId)
    .orderBy("id");
  let itemsQuery = db.selectFrom("workshop_items").select("id").where("workshop_id", "=", workshopId).orderBy("position");
  if (itemId !== undefined) {
    ideasQuery = ideasQuery.where("i.item_id", "=", itemId);
    groupsQuery = groupsQuery.where("item_id", "=", itemId);
    itemsQuery = itemsQuery.where("id", "=", itemId);
  }
  const [ideas, groups, items] = await Promise.all([ideasQuery.execute(), groupsQuery.execute(), itemsQuery.execute()]);
  const edits = await readIdeaEdits(db, ideas.map((i) => i.id));
  const merged = new Map<number, { id: number; text: string }[]>();
  for (const i of ideas) {
    if (i.merged_into_id !== null) {
      const list = merged.get(i.merged_into_id) ?? [];
      list.push({ id: i.id, text: i.text });
      merged.set(i.merged_into_id, list);
    }
  }
  return items.map(({ id }) => ({
    itemId: id,
    ideas: ideas
      .filter((i) => i.item_id === id && i.merged_into_id === null)
      .map((i) => ({
        id: i.id,
        text: i.text,
        participantId: i.participant_id,
        byLabel: i.participant_id === null ? "Anonymous" : i.participant_kind === "guest" ? "Guest" : (i.organisation ?? "Participant"),
        edited: edits.get(i.id) ?? null,
        groupId: i.group_id,
        merged: merged.get(i.id) ?? [],
        capturing: i.capture_status === "capturing",
        captured:
          i.capture_status === "captured" && i.captured_action_id
            ? { actionId: i.captured_action_id, title: i.action_title ?? "" }
            : null,
      })),
    groups: groups.filter((g) => g.item_id === id).map((g) => ({ id: g.id, label: g.label })),
  }));
}

/** Ranks with ties sharing a rank ("1, 2, 2, 4"), highest count first, then the option order. */
export function rankResults(options: { id: number; label: string }[], counts: Map<number, number>): VoteResult[] {
  const rows = options
    .map((o, index) => ({ optionId: o.id, label: o.label, count: counts.get(o.id) ?? 0, index }))
    .sort((a, b) => b.count - a.count || a.index - b.index);
  let rank = 0;
  return rows.map((r, i) => {
    if (i === 0 || r.count !== rows[i - 1]!.count) rank = i + 1;
    return { optionId: r.optionId, label: r.label, count: r.count, rank };
  });
}

export async function readVotes(db: Reader, workshopId: string, opts: { showUnrevealed?: boolean } = {}): Promise<VoteView[]> {
  const votes = await db
    .selectFrom("workshop_votes")
    .selectAll()
    .where("workshop_id", "=", workshopId)
    .orderBy("id")
    .execute();
  if (votes.length === 0) return [];
  const ids = votes.map((v) => v.id);
  const [options, counts, voters] = await Promise.all([
    db.selectFrom("workshop_vote_options").select(["id", "vote_id", "label"]).where("vote_id", "in", ids).orderBy("position").execute(),
    db
      .selectFrom("workshop_dots")
      .select((eb) => ["vote_id", "option_id", eb.fn.countAll<number>().as("n")])
      .where("vote_id", "in", ids)
      .groupBy(["vote_id", "option_id"])
      .execute(),
    db
      .selectFrom("workshop_dots")
      .select((eb) => ["vote_id", eb.fn.count<number>("participant_id").distinct().as("n")])
      .where("vote_id", "in", ids)
      .groupBy("vote_id")
      .execute(),
  ]);
  return votes.map((v) => {
    const own = options.filter((o) => o.vote_id === v.id).map((o) => ({ id: o.id, label: o.label }));
    const byOption = new Map(counts.filter((c) => c.vote_id === v.id).map((c) => [c.option_id, Number(c.n)]));
    const revealed = v.revealed_at !== null;
    return {
      id: v.id,
      itemId: v.item_id,
      title: v.title,
      subject: v.subject,
      allowance: v.allowance,
      status: v.status,
      revealed,
      revealedAt: v.revealed_at,
      options: own,
      dotsCast: [...byOption.values()].reduce((a, b) => a + b, 0),
      voters: Number(voters.find((x) => x.vote_id === v.id)?.n ?? 0),
      results: revealed || opts.showUnrevealed ? rankResults(own, byOption) : null,
    };
  });
}

export async function readDecisions(db: Reader, workshopId: string): Promise<DecisionView[]> {
  const rows = await db
    .selectFrom("workshop_decisions as d")
    .leftJoin("users as u", "u.id", "d.recorded_by")
    .leftJoin("actions as a", "a.id", "d.action_id")
    .leftJoin("action_owners as ao", (join) =>
      join.onRef("ao.action_id", "=", "d.action_id").on("ao.role", "=", "lead").on((eb) =>
          // The accepted lead; a pending one only where none has accepted (a hand-over keeps the lead).
          eb.or([
            eb("ao.status", "=", "accepted"),
            eb.not(
              eb.exists(
                eb.selectFrom("action_owners as al").select("al.action_id").whereRef("al.action_id", "=", "ao.action_id").where("al.role", "=", "lead").where("al.status", "=", "accepted"),
              ),
            ),
          ]),
        ),
    )
    .leftJoin("organisations as o", "o.id", "ao.organisation_id")
    .select([
      "d.id",
      "d.item_id",
      "d.text",
      "d.action_id",
      "d.created_at",
      "a.title as action_title",
      "u.name as recorded_by",
      "o.name as lead_name",
      "ao.status as lead_status",
    ])
    .where("d.workshop_id", "=", workshopId)
    .orderBy("d.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    itemId: r.item_id,
    text: r.text,
    action: r.action_id
      ? {
          id: r.action_id,
          title: r.action_title ?? "",
          lead: r.lead_name ? { organisationName: r.lead_name, status: r.lead_status ?? "pending" } : null,
        }
      : null,
    recordedBy: r.recorded_by,
    createdAt: r.created_at,
  }));
}

export async function readParticipants(db: Reader, workshopId: string, online: ReadonlySet<number>): Promise<ParticipantView[]> {
  const rows = await db
    .selectFrom("workshop_participants as p")
    .leftJoin("organisations as o", "o.id", "p.organisation_id")
    .select(["p.id", "p.display_name", "p.kind", "o.name as organisation"])
    .where("p.workshop_id", "=", workshopId)
    .orderBy("p.kind")
    .orderBy("o.name")
    .orderBy("p.display_name")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.display_name,
    organisation: r.organisation,
    kind: r.kind,
    online: online.has(r.id),
  }));
}

export async function readMine(db: Reader, workshopId: string, participantId: number | null): Promise<MinePart> {
  const dots: MinePart["dots"] = {};
  if (participantId === null) return { participantId, dots, answers: {} };
  const rows = await db
    .selectFrom("workshop_dots as d")
    .innerJoin("workshop_votes as v", "v.id", "d.vote_id")
    .select((eb) => ["d.vote_id", "d.option_id", eb.fn.countAll<number>().as("n")])
    .where("v.workshop_id", "=", workshopId)
    .where("d.participant_id", "=", participantId)
    .groupBy(["d.vote_id", "d.option_id"])
    .execute();
  for (const r of rows) {
    dots[r.vote_id] ??= {};
    dots[r.vote_id]![r.option_id] = Number(r.n);
  }
  const answers = (await readMyAnswers(db, workshopId, [participantId])).get(participantId) ?? {};
  return { participantId, dots, answers };
}

/** Several people's own dots at once (one query), for pushing each their own after a burst of votes. */
export async function readMineMany(db: DB, workshopId: string, participantIds: number[]): Promise<{ version: number; mine: Map<number, MinePart> }> {
  return db.transaction().execute(async (trx) => {
    const v = await version(trx, workshopId);
    const answers = await readMyAnswers(trx, workshopId, participantIds);
    const mine = new Map<number, MinePart>(participantIds.map((id) => [id, { participantId: id, dots: {}, answers: answers.get(id) ?? {} }]));
    if (participantIds.length === 0) return { version: v, mine };
    const rows = await trx
      .selectFrom("workshop_dots as d")
      .innerJoin("workshop_votes as v", "v.id", "d.vote_id")
      .select((eb) => ["d.participant_id", "d.vote_id", "d.option_id", eb.fn.countAll<number>().as("n")])
      .where("v.workshop_id", "=", workshopId)
      .where("d.participant_id", "in", participantIds)
      .groupBy(["d.participant_id", "d.vote_id", "d.option_id"])
      .execute();
    for (const r of rows) {
      const dots = mine.get(r.participant_id)!.dots;
      dots[r.vote_id] ??= {};
      dots[r.vote_id]![r.option_id] = Number(r.n);
    }
    return { version: v, mine };
  });
}

/** One consistent read of one part, with the version it belongs to. */
export async function readPart(
  db: DB,
  workshopId: string,
  part: PartName,
  opts: { itemId?: number; online?: ReadonlySet<number> } = {},
): Promise<{ version: number; data: unknown } | null> {
  return db.transaction().execute(async (trx) => {
    const v = await version(trx, workshopId);
    if (!v) return null;
    switch (part) {
      case "control":
        return { version: v, data: await readControl(trx, workshopId) };
      case "agenda":
        return { version: v, data: await readAgenda(trx, workshopId) };
      case "board":
        return { version: v, data: (await readBoards(trx, workshopId, opts.itemId))[0] ?? null };
      case "votes":
        return { version: v, data: await readVotes(trx, workshopId) };
      case "polls":
        return { version: v, data: await readPolls(trx, workshopId) };
      case "decisions":
        return { version: v, data: await readDecisions(trx, workshopId) };
      case "participants":
        return { version: v, data: await readParticipants(trx, workshopId, opts.online ?? new Set()) };
    }
  });
}

export async function readSnapshot(
  db: DB,
  workshopId: string,
  participantId: number | null,
  online: ReadonlySet<number>,
): Promise<WorkshopSnapshot | null> {
  return db.transaction().execute(async (trx) => {
    const v = await version(trx, workshopId);
    const control = await readControl(trx, workshopId);
    if (!v || !control) return null;
    return {
      version: v,
      control,
      agenda: await readAgenda(trx, workshopId),
      boards: await readBoards(trx, workshopId),
      votes: await readVotes(trx, workshopId),
      polls: await readPolls(trx, workshopId),
      decisions: await readDecisions(trx, workshopId),
      participants: await readParticipants(trx, workshopId, online),
      mine: await readMine(trx, workshopId, participantId),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Lookups for other pages
// ---------------------------------------------------------------------------------------------

/** The workshop holding a plan's lock, if any: a lock ends when its workshop closes. */
export async function findPlanLock(db: Reader, planId: string) {
  return (
    (await db
      .selectFrom("workshops")
      .select(["id", "title"])
      .where("plan_id", "=", planId)
      .where("plan_locked", "=", 1)
      .where("status", "!=", "closed")
      .executeTakeFirst()) ?? null
  );
}

export async function isDocumentPlanLocked(db: Reader, documentId: string): Promise<boolean> {
  const row = await db
    .selectFrom("documents as d")
    .innerJoin("workshops as w", "w.plan_id", "d.plan_id")
    .select("w.id")
    .where("d.id", "=", documentId)
    .where("w.plan_locked", "=", 1)
    .where("w.status", "!=", "closed")
    .executeTakeFirst();
  return row !== undefined;
}

export async function listWorkshops(db: Reader, planIds?: string[]) {
  let q = db
    .selectFrom("workshops as w")
    .innerJoin("plans as p", "p.id", "w.plan_id")
    .select([
      "w.id",
      "w.title",
      "w.plan_id",
      "w.scheduled_for",
      "w.status",
      "p.title as plan_title",
      "p.kind as plan_kind",
    ])
    .orderBy("w.scheduled_for", "desc");
  if (planIds) {
    if (planIds.length === 0) return [];
    q = q.where("w.plan_id", "in", planIds);
  }
  return q.execute();
}

export async function invitedOrganisations(db: Reader, workshopId: string) {
  return db
    .selectFrom("workshop_invitations as i")
    .innerJoin("organisations as o", "o.id", "i.organisation_id")
    .select(["o.id", "o.name", "o.short_name"])
    .where("i.workshop_id", "=", workshopId)
    .orderBy("o.name")
    .execute();
}

/** Workshops an organisation is invited to (its members may join without a grant on the plan). */
export async function workshopIdsInvitingOrganisation(db: Reader, organisationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("workshop_invitations")
    .select("workshop_id")
    .where("organisation_id", "=", organisationId)
    .execute();
  return rows.map((r) => r.workshop_id);
}

// ---------------------------------------------------------------------------------------------
// The workshop record: what happened, for the page and the Word and CSV downloads
// ---------------------------------------------------------------------------------------------

export interface WorkshopRecord {
  workshop: {
    id: string;
    title: string;
    scheduledFor: string;
    status: WorkshopStatus;
    startedAt: string | null;
    closedAt: string | null;
    planId: string;
    planTitle: string;
    facilitator: string | null;
  };
  agenda: AgendaItemView[];
  invited: { id: string; name: string; attended: boolean }[];
  attendance: { organisation: string; people: { name: string; kind: WorkshopParticipantKind; joinedAt: string }[] }[];
  ideas: { itemId: number; ideas: { text: string; byLabel: string; group: string | null; merged: string[]; action: string | null }[] }[];
  votes: (VoteView & { itemTitle: string })[];
  polls: (PollView & { itemTitle: string })[];
  decisions: (DecisionView & { itemTitle: string | null })[];
  actions: { id: string; title: string; priority: string | null; lead: string | null; leadStatus: string | null; fromIdea: string | null }[];
}

export async function loadWorkshopRecord(db: DB, workshopId: string): Promise<WorkshopRecord | null> {
  return db.transaction().execute(async (trx) => {
    const w = await trx
      .selectFrom("workshops as w")
      .innerJoin("plans as p", "p.id", "w.plan_id")
      .leftJoin("users as u", "u.id", "w.created_by")
      .select([
        "w.id",
        "w.title",
        "w.scheduled_for",
        "w.status",
        "w.started_at",
        "w.closed_at",
        "w.plan_id",
        "p.title as plan_title",
        "u.name as facilitator",
      ])
      .where("w.id", "=", workshopId)
      .executeTakeFirst();
    if (!w) return null;
    const polls = await readPolls(trx, workshopId);
    const [agenda, boards, votes, decisions, invited, participants, actions] = await Promise.all([
      readAgenda(trx, workshopId),
      readBoards(trx, workshopId),
      // Once the session is over every count is part of the record, revealed in the room or not.
      readVotes(trx, workshopId, { showUnrevealed: w.status === "closed" }),
      readDecisions(trx, workshopId),
      invitedOrganisations(trx, workshopId),
      trx
        .selectFrom("workshop_participants as p")
        .leftJoin("organisations as o", "o.id", "p.organisation_id")
        .select(["p.display_name", "p.kind", "p.joined_at", "p.organisation_id", "o.name as organisation"])
        .where("p.workshop_id", "=", workshopId)
        .orderBy("o.name")
        .orderBy("p.display_name")
        .execute(),
      trx
        .selectFrom("workshop_ideas as i")
        .innerJoin("actions as a", "a.id", "i.captured_action_id")
        .leftJoin("priorities as pr", "pr.id", "a.priority_id")
        .leftJoin("action_owners as ao", (join) => join.onRef("ao.action_id", "=", "a.id").on("ao.role", "=", "lead").on((eb) =>
          // The accepted lead; a pending one only where none has accepted (a hand-over keeps the lead).
          eb.or([
            eb("ao.status", "=", "accepted"),
            eb.not(
              eb.exists(
                eb.selectFrom("action_owners as al").select("al.action_id").whereRef("al.action_id", "=", "ao.action_id").where("al.role", "=", "lead").where("al.status", "=", "accepted"),
              ),
            ),
          ]),
        ))
        .leftJoin("organisations as o", "o.id", "ao.organisation_id")
        .select(["a.id", "a.title", "pr.title as priority", "o.name as lead", "ao.status as lead_status", "i.text as idea"])
        .where("i.workshop_id", "=", workshopId)
        .where("i.capture_status", "=", "captured")
        .orderBy("i.id")
        .execute(),
    ]);
    const itemTitle = new Map(agenda.map((i) => [i.id, `${i.position}. ${i.title}`]));
    const groups = new Map<string, WorkshopRecord["attendance"][number]["people"]>();
    for (const p of participants) {
      const key = p.kind === "guest" ? "Guests (no account)" : (p.organisation ?? "Other");
      groups.set(key, [...(groups.get(key) ?? []), { name: p.display_name, kind: p.kind, joinedAt: p.joined_at }]);
    }
    const attended = new Set(participants.map((p) => p.organisation_id));
    const groupLabel = new Map<number, string>();
    for (const b of boards) for (const g of b.groups) groupLabel.set(g.id, g.label);
    return {
      workshop: {
        id: w.id,
        title: w.title,
        scheduledFor: w.scheduled_for,
        status: w.status,
        startedAt: w.started_at,
        closedAt: w.closed_at,
        planId: w.plan_id,
        planTitle: w.plan_title,
        facilitator: w.facilitator,
      },
      agenda,
      invited: invited.map((o) => ({ id: o.id, name: o.name, attended: attended.has(o.id) })),
      attendance: [...groups.entries()].map(([organisation, people]) => ({ organisation, people })),
      ideas: boards.map((b) => ({
        itemId: b.itemId,
        ideas: b.ideas.map((i) => ({
          text: i.text,
          byLabel: i.byLabel,
          group: i.groupId !== null ? (groupLabel.get(i.groupId) ?? null) : null,
          merged: i.merged.map((m) => m.text),
          action: i.captured?.title ?? null,
        })),
      })),
      votes: votes.map((v) => ({ ...v, itemTitle: itemTitle.get(v.itemId) ?? "" })),
      polls: polls.map((p) => ({ ...p, itemTitle: itemTitle.get(p.itemId) ?? "" })),
      decisions: decisions.map((d) => ({ ...d, itemTitle: d.itemId !== null ? (itemTitle.get(d.itemId) ?? null) : null })),
      actions: actions.map((a) => ({
        id: a.id,
        title: a.title,
        priority: a.priority,
        lead: a.lead,
        leadStatus: a.lead_status,
        fromIdea: a.idea,
      })),
    };
  });
}

/** Inserts a workshop unless its id is taken; true when it was inserted. */
export async function insertWorkshopIfAbsent(db: DB, row: Insertable<WorkshopTable>): Promise<boolean> {
  const inserted = await db.insertInto("workshops").values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function insertWorkshopInvitationIfAbsent(db: DB, row: Insertable<WorkshopInvitationTable>): Promise<void> {
  await db.insertInto("workshop_invitations").values(row).onConflict((oc) => oc.doNothing()).execute();
}

export async function insertWorkshopItem(db: DB, row: Insertable<WorkshopItemTable>): Promise<void> {
  await db.insertInto("workshop_items").values(row).execute();
}

export async function findWorkshopByGuestCode(db: DB, guestCode: string) {
  return db.selectFrom("workshops").select(["id", "title", "status"]).where("guest_code", "=", guestCode).executeTakeFirst();
}

export async function workshopStatus(db: DB, workshopId: string) {
  return (await db.selectFrom("workshops").select("status").where("id", "=", workshopId).executeTakeFirstOrThrow()).status;
}

export async function insertParticipant(db: DB, row: Insertable<WorkshopParticipantTable>): Promise<number> {
  return (await db.insertInto("workshop_participants").values(row).returning("id").executeTakeFirstOrThrow()).id;
}

export async function insertWorkshopDecision(db: DB, row: Insertable<WorkshopDecisionTable>): Promise<void> {
  await db.insertInto("workshop_decisions").values(row).execute();
}

export async function isOrganisationInvited(db: Reader, workshopId: string, organisationId: string): Promise<boolean> {
  const invited = await db
    .selectFrom("workshop_invitations")
    .select("organisation_id")
    .where("workshop_id", "=", workshopId)
    .where("organisation_id", "=", organisationId)
    .executeTakeFirst();
  return invited !== undefined;
}

/** Every change to a workshop's live state moves its version on, so pages never go back to older state. */
export async function bumpWorkshopVersion(db: Reader, workshopId: string): Promise<void> {
  await db
    .updateTable("workshops")
    .set((eb) => ({ version: eb("version", "+", 1) }))
    .where("id", "=", workshopId)
    .execute();
}

export async function findUserParticipantId(db: Reader, workshopId: string, userId: number): Promise<number | null> {
  const row = await db
    .selectFrom("workshop_participants")
    .select("id")
    .where("workshop_id", "=", workshopId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** A signed-in person's attendance row unless they have one already (a concurrent first use); its id when inserted. */
export async function insertUserParticipantIfAbsent(db: Reader, row: Insertable<WorkshopParticipantTable>): Promise<number | null> {
  const inserted = await db
    .insertInto("workshop_participants")
    .values(row)
    .onConflict((oc) => oc.columns(["workshop_id", "user_id"]).where("user_id", "is not", null).doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted?.id ?? null;
}

export async function findWorkshopItem(db: Reader, itemId: number) {
  return db.selectFrom("workshop_items").selectAll().where("id", "=", itemId).executeTakeFirst();
}

/** Changes columns of a workshop's row (status, current item, timer, lock). */
export async function updateWorkshop(db: Reader, workshopId: string, change: Updateable<WorkshopTable>): Promise<void> {
  await db.updateTable("workshops").set(change).where("id", "=", workshopId).execute();
}

/** The agenda in order. */
export async function agendaItems(db: Reader, workshopId: string) {
  return db
    .selectFrom("workshop_items")
    .select(["id", "title", "time_box_minutes"])
    .where("workshop_id", "=", workshopId)
    .orderBy("position")
    .orderBy("id")
    .execute();
}

/** Another workshop, still open, that holds the plan's lock. */
export async function findOtherLockHolder(db: Reader, planId: string, exceptWorkshopId: string) {
  return db
    .selectFrom("workshops")
    .select("title")
    .where("plan_id", "=", planId)
    .where("plan_locked", "=", 1)
    .where("status", "!=", "closed")
    .where("id", "!=", exceptWorkshopId)
    .executeTakeFirst();
}

export async function closeOpenVotes(db: Reader, workshopId: string, now: string): Promise<void> {
  await db.updateTable("workshop_votes").set({ status: "closed", closed_at: now }).where("workshop_id", "=", workshopId).where("status", "=", "open").execute();
}

export async function insertWorkshop(db: DB, row: Insertable<WorkshopTable>): Promise<void> {
  await db.insertInto("workshops").values(row).execute();
}

export async function insertWorkshopInvitation(db: DB, row: Insertable<WorkshopInvitationTable>): Promise<void> {
  await db.insertInto("workshop_invitations").values(row).execute();
}

export async function guestCodeTaken(db: DB, guestCode: string): Promise<boolean> {
  return (await db.selectFrom("workshops").select("id").where("guest_code", "=", guestCode).executeTakeFirst()) !== undefined;
}

export async function findPlanTitle(db: DB, planId: string) {
  return db.selectFrom("plans").select(["id", "title"]).where("id", "=", planId).executeTakeFirst();
}

/** One of the plan's priorities, as an agenda item's link. */
export async function findPlanPriorityTitle(db: DB, planId: string, priorityId: string) {
  return db
    .selectFrom("plan_priorities as pp")
    .innerJoin("priorities as p", "p.id", "pp.priority_id")
    .select(["p.id", "p.title"])
    .where("pp.plan_id", "=", planId)
    .where("pp.priority_id", "=", priorityId)
    .executeTakeFirst();
}

/** One of the plan's actions, as an agenda item's link. */
export async function findPlanActionTitle(db: DB, planId: string, actionId: string) {
  return db.selectFrom("actions").select(["id", "title"]).where("plan_id", "=", planId).where("id", "=", actionId).executeTakeFirst();
}

/** One of the plan's sections (any document but an action's description), as an agenda item's link. */
export async function findPlanSection(db: DB, planId: string, documentId: string) {
  return db
    .selectFrom("documents")
    .select(["id", "kind", "plain_text"])
    .where("plan_id", "=", planId)
    .where("id", "=", documentId)
    .where("kind", "!=", "action_description")
    .executeTakeFirst();
}

/** The plan's priorities in order, for an agenda made from the plan. */
export async function planPriorityTitles(db: DB, planId: string) {
  return db
    .selectFrom("plan_priorities as pp")
    .innerJoin("priorities as p", "p.id", "pp.priority_id")
    .select(["p.id", "p.title"])
    .where("pp.plan_id", "=", planId)
    .orderBy("pp.position")
    .execute();
}

/** The plan's sections in the order they were made, for an agenda made from a plan without priorities. */
export async function planSections(db: DB, planId: string) {
  return db
    .selectFrom("documents")
    .select(["id", "kind", "plain_text"])
    .where("plan_id", "=", planId)
    .where("kind", "!=", "action_description")
    .orderBy("created_at")
    .execute();
}

export async function lastAgendaPosition(db: DB, workshopId: string): Promise<number> {
  const last = await db
    .selectFrom("workshop_items")
    .select((eb) => eb.fn.max("position").as("max"))
    .where("workshop_id", "=", workshopId)
    .executeTakeFirst();
  return Number(last?.max ?? 0);
}

export async function agendaPositions(db: DB, workshopId: string) {
  return db.selectFrom("workshop_items").select(["id", "position"]).where("workshop_id", "=", workshopId).orderBy("position").orderBy("id").execute();
}

export async function updateWorkshopItem(db: DB, itemId: number, change: Updateable<WorkshopItemTable>): Promise<void> {
  await db.updateTable("workshop_items").set(change).where("id", "=", itemId).execute();
}

/** Whether an agenda item has ideas, votes or decisions: then it is part of the record. */
export async function agendaItemInUse(db: DB, itemId: number): Promise<boolean> {
  const used = await Promise.all([
    db.selectFrom("workshop_ideas").select("id").where("item_id", "=", itemId).executeTakeFirst(),
    db.selectFrom("workshop_votes").select("id").where("item_id", "=", itemId).executeTakeFirst(),
    db.selectFrom("workshop_decisions").select("id").where("item_id", "=", itemId).executeTakeFirst(),
  ]);
  return used.some(Boolean);
}

/** Removes an agenda item and its (empty) idea groups. */
export async function deleteAgendaItem(db: DB, itemId: number): Promise<void> {
  await db.deleteFrom("workshop_idea_groups").where("item_id", "=", itemId).execute();
  await db.deleteFrom("workshop_items").where("id", "=", itemId).execute();
}

export async function deleteWorkshopInvitations(db: DB, workshopId: string): Promise<void> {
  await db.deleteFrom("workshop_invitations").where("workshop_id", "=", workshopId).execute();
}
