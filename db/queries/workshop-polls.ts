/**
 * Single-choice polls and consent checks of a workshop: what the room sees live, what each
 * person answered, and the writes the domain composes inside one transaction.
 */
import type { DB } from "../connection";
import type { WorkshopPollKind } from "../schema";

export const CONSENT_OPTIONS = [
  { value: "agree", label: "Agree" },
  { value: "stand_aside", label: "Stand aside" },
  { value: "object", label: "Object" },
] as const;

/** Guests have no organisation: their answers are counted together. */
export const GUESTS_LABEL = "Guests";

export interface PollResultRow {
  organisation: string;
  /** optionId -> people of this organisation who chose it. */
  counts: Record<number, number>;
  total: number;
}

export interface PollView {
  id: number;
  itemId: number;
  kind: WorkshopPollKind;
  question: string;
  status: "open" | "closed";
  closedAt: string | null;
  options: { id: number; value: string; label: string }[];
  /** How many people have answered (not what): shown while open. */
  answered: number;
  /** Only once closed: nobody, the facilitator included, sees answers before. */
  results: {
    totals: Record<number, number>;
    byOrganisation: PollResultRow[];
    /** Reasons given (an objection needs one), with the organisation and the answer. */
    reasons: { organisation: string; option: string; reason: string }[];
  } | null;
}

export async function readPolls(db: DB, workshopId: string, opts: { showOpen?: boolean } = {}): Promise<PollView[]> {
  const polls = await db.selectFrom("workshop_polls").selectAll().where("workshop_id", "=", workshopId).orderBy("id").execute();
  if (polls.length === 0) return [];
  const ids = polls.map((p) => p.id);
  const [options, answers] = await Promise.all([
    db
      .selectFrom("workshop_poll_options")
      .select(["id", "poll_id", "value", "label"])
      .where("poll_id", "in", ids)
      .orderBy("poll_id")
      .orderBy("position")
      .execute(),
    db
      .selectFrom("workshop_poll_answers as a")
      .innerJoin("workshop_participants as p", "p.id", "a.participant_id")
      .leftJoin("organisations as o", "o.id", "p.organisation_id")
      .select(["a.poll_id", "a.option_id", "a.reason", "p.kind", "o.name as organisation"])
      .where("a.poll_id", "in", ids)
      .orderBy("a.id")
      .execute(),
  ]);
  return polls.map((poll) => {
    const own = options.filter((o) => o.poll_id === poll.id).map((o) => ({ id: o.id, value: o.value, label: o.label }));
    const mine = answers.filter((a) => a.poll_id === poll.id);
    const show = poll.status === "closed" || opts.showOpen === true;
    let results: PollView["results"] = null;
    if (show) {
      const totals: Record<number, number> = Object.fromEntries(own.map((o) => [o.id, 0]));
      const rows = new Map<string, PollResultRow>();
      const reasons: NonNullable<PollView["results"]>["reasons"] = [];
      for (const a of mine) {
        const organisation = a.kind === "guest" || !a.organisation ? GUESTS_LABEL : a.organisation;
        totals[a.option_id] = (totals[a.option_id] ?? 0) + 1;
        let row = rows.get(organisation);
        if (!row) rows.set(organisation, (row = { organisation, counts: {}, total: 0 }));
        row.counts[a.option_id] = (row.counts[a.option_id] ?? 0) + 1;
        row.total += 1;
        if (a.reason) reasons.push({ organisation, option: own.find((o) => o.id === a.option_id)?.label ?? "", reason: a.reason });
      }
      const byOrganisation = [...rows.values()].sort((x, y) =>
        x.organisation === GUESTS_LABEL ? 1 : y.organisation === GUESTS_LABEL ? -1 : x.organisation.localeCompare(y.organisation),
      );
      results = { totals, byOrganisation, reasons };
    }
    return {
      id: poll.id,
      itemId: poll.item_id,
      kind: poll.kind,
      question: poll.question,
      status: poll.status,
      closedAt: poll.closed_at,
      options: own,
      answered: mine.length,
      results,
    };
  });
}

export interface MyAnswer {
  optionId: number;
  reason: string | null;
}

/** Each person's own current answers: participantId -> pollId -> answer. */
export async function readMyAnswers(db: DB, workshopId: string, participantIds: number[]): Promise<Map<number, Record<number, MyAnswer>>> {
  const out = new Map<number, Record<number, MyAnswer>>(participantIds.map((id) => [id, {}]));
  if (participantIds.length === 0) return out;
  const rows = await db
    .selectFrom("workshop_poll_answers as a")
    .innerJoin("workshop_polls as p", "p.id", "a.poll_id")
    .select(["a.participant_id", "a.poll_id", "a.option_id", "a.reason"])
    .where("p.workshop_id", "=", workshopId)
    .where("a.participant_id", "in", participantIds)
    .execute();
  for (const r of rows) out.get(r.participant_id)![r.poll_id] = { optionId: r.option_id, reason: r.reason };
  return out;
}

export async function findPoll(db: DB, pollId: number) {
  return db.selectFrom("workshop_polls").selectAll().where("id", "=", pollId).executeTakeFirst();
}

export async function findOpenPoll(db: DB, workshopId: string) {
  return db.selectFrom("workshop_polls").select(["id", "question"]).where("workshop_id", "=", workshopId).where("status", "=", "open").executeTakeFirst();
}

export async function findPollOption(db: DB, pollId: number, optionId: number) {
  return db
    .selectFrom("workshop_poll_options")
    .select(["id", "value", "label"])
    .where("id", "=", optionId)
    .where("poll_id", "=", pollId)
    .executeTakeFirst();
}

export async function insertPoll(
  db: DB,
  row: { workshopId: string; itemId: number; kind: WorkshopPollKind; question: string; openedBy: number | null; now: string },
  options: { value: string; label: string }[],
): Promise<number> {
  const poll = await db
    .insertInto("workshop_polls")
    .values({
      workshop_id: row.workshopId,
      item_id: row.itemId,
      kind: row.kind,
      question: row.question,
      status: "open",
      opened_by: row.openedBy,
      opened_at: row.now,
      closed_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("workshop_poll_options")
    .values(options.map((o, i) => ({ poll_id: poll.id, position: i + 1, value: o.value, label: o.label })))
    .execute();
  return poll.id;
}

/** The person's answer replaces their previous one (the unique index keeps it to one), and the history keeps both. */
export async function writeAnswer(
  db: DB,
  a: { pollId: number; participantId: number; optionId: number; reason: string | null; now: string },
): Promise<void> {
  await db
    .insertInto("workshop_poll_answers")
    .values({ poll_id: a.pollId, participant_id: a.participantId, option_id: a.optionId, reason: a.reason, created_at: a.now, updated_at: a.now })
    .onConflict((oc) => oc.columns(["poll_id", "participant_id"]).doUpdateSet({ option_id: a.optionId, reason: a.reason, updated_at: a.now }))
    .execute();
  await db
    .insertInto("workshop_poll_answer_history")
    .values({ poll_id: a.pollId, participant_id: a.participantId, option_id: a.optionId, reason: a.reason, created_at: a.now })
    .execute();
}

export async function closePollRow(db: DB, pollId: number, now: string): Promise<void> {
  await db.updateTable("workshop_polls").set({ status: "closed", closed_at: now }).where("id", "=", pollId).execute();
}

export async function closeOpenPolls(db: DB, workshopId: string, now: string): Promise<void> {
  await db
    .updateTable("workshop_polls")
    .set({ status: "closed", closed_at: now })
    .where("workshop_id", "=", workshopId)
    .where("status", "=", "open")
    .execute();
}
