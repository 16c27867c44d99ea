import { sqlRows } from "../helpers/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type AppServer, login, PLAN_ID, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { createWorkshop, guestCodeOf, intent, joinAsGuest, readState } from "../helpers/workshop-client";

let server: AppServer;
let fac: string;
let nhs: string;
let college: string;
let guest: string;
let workshopId: string;
let itemId: number;

const query = <T>(sqlText: string, ...args: unknown[]): Promise<T[]> => sqlRows<T>(server.dbFile, sqlText, ...args);

interface PollJson {
  id: number;
  kind: string;
  status: string;
  question: string;
  options: { id: number; value: string; label: string }[];
  answered: number;
  results: {
    totals: Record<string, number>;
    byOrganisation: { organisation: string; counts: Record<string, number>; total: number }[];
    reasons: { organisation: string; option: string; reason: string }[];
  } | null;
}

async function polls(cookie = fac): Promise<PollJson[]> {
  return (await snapshotOf(cookie)).polls;
}

async function snapshotOf(cookie: string) {
  return (await readState(server.url, workshopId, cookie)).snapshot as unknown as {
    polls: PollJson[];
    control: { currentItemId: number; timer: { startedAt: number | null; remainingMs: number }; anonymousIdeas: boolean; autoStartTimer: boolean };
    boards: { itemId: number; ideas: { id: number; text: string; participantId: number | null; byLabel: string; edited: { by: string; original: string } | null }[] }[];
    mine: { participantId: number; answers: Record<string, { optionId: number; reason: string | null }> };
  };
}

beforeAll(async () => {
  server = await startAppServer();
  await reopenSeededPlan(server.url);
  fac = await login(server.url, ACCOUNTS.facilitator);
  nhs = await login(server.url, ACCOUNTS.nhsEditor);
  college = await login(server.url, ACCOUNTS.collegeEditor);
  workshopId = await createWorkshop(server.url, fac, { planId: PLAN_ID, title: "Deciding together" });
  expect((await intent(server.url, workshopId, fac, { intent: "start-session" })).status).toBe(200);
  itemId = (await readState(server.url, workshopId, fac)).snapshot.control.currentItemId!;
  guest = (await joinAsGuest(server.url, await guestCodeOf(server.url, workshopId, fac), "Dee")).cookie!;
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

describe("single-choice polls", () => {
  it("keeps one answer per person, even racing, changeable until closed, with results by organisation", async () => {
    const opened = await intent(server.url, workshopId, fac, {
      intent: "open-poll",
      itemId,
      kind: "choice",
      question: "Where should the first pop-up go?",
      options: "Market hall\nRadcliffe hub\n\nMillennium Gardens",
    });
    expect(opened).toEqual({ status: 200, message: "The poll is open." });
    const poll = (await polls()).find((p) => p.status === "open")!;
    expect(poll.options.map((o) => o.label)).toEqual(["Market hall", "Radcliffe hub", "Millennium Gardens"]);
    const [market, hub, gardens] = poll.options;

    // Two devices of one person racing: one answer stands.
    const other = await login(server.url, ACCOUNTS.nhsEditor);
    const shots = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        intent(server.url, workshopId, i % 2 ? other : nhs, { intent: "answer-poll", pollId: poll.id, optionId: (i % 3 ? market : hub)!.id }),
      ),
    );
    expect(shots.every((s) => s.status === 200)).toBe(true);
    const me = await snapshotOf(nhs);
    expect(await query("select count(*) n from workshop_poll_answers where poll_id = ? and participant_id = ?", poll.id, me.mine.participantId)).toEqual([{ n: 1 }]);
    expect((await query<{ n: number }>("select count(*) n from workshop_poll_answer_history where poll_id = ?", poll.id))[0]!.n).toBe(10);

    // Changing one's answer replaces it.
    expect((await intent(server.url, workshopId, nhs, { intent: "answer-poll", pollId: poll.id, optionId: gardens!.id })).message).toBe(
      "Your answer is “Millennium Gardens”. You can change it until the facilitator closes the poll.",
    );
    expect((await snapshotOf(nhs)).mine.answers[poll.id]).toEqual({ optionId: gardens!.id, reason: null });
    expect((await intent(server.url, workshopId, college, { intent: "answer-poll", pollId: poll.id, optionId: gardens!.id })).status).toBe(200);
    expect((await intent(server.url, workshopId, guest, { intent: "answer-poll", pollId: poll.id, optionId: market!.id })).status).toBe(200);

    // Nobody sees the answers while it is open: only how many have answered.
    for (const cookie of [fac, nhs, guest]) {
      const seen = (await snapshotOf(cookie)).polls.find((p) => p.id === poll.id)!;
      expect(seen.results).toBeNull();
      expect(seen.answered).toBe(3);
    }

    // Refusals, each with a sentence and the right status.
    expect(await intent(server.url, workshopId, fac, { intent: "answer-poll", pollId: poll.id, optionId: market!.id })).toEqual({
      status: 403,
      message: "Facilitators run the poll but do not answer it.",
    });
    expect((await intent(server.url, workshopId, nhs, { intent: "answer-poll", pollId: poll.id, optionId: 999_999 })).status).toBe(400);
    expect((await intent(server.url, workshopId, nhs, { intent: "answer-poll", pollId: 999_999, optionId: market!.id })).status).toBe(404);
    expect((await intent(server.url, workshopId, nhs, { intent: "close-poll", pollId: poll.id })).status).toBe(403);
    expect(
      (await intent(server.url, workshopId, fac, { intent: "open-poll", itemId, kind: "consent", question: "Another?" })).status,
    ).toBe(409);

    expect((await intent(server.url, workshopId, fac, { intent: "close-poll", pollId: poll.id })).status).toBe(200);
    expect(await intent(server.url, workshopId, nhs, { intent: "answer-poll", pollId: poll.id, optionId: market!.id })).toEqual({
      status: 409,
      message: "This poll has closed, so answers can no longer be given or changed.",
    });
    const closed = (await snapshotOf(guest)).polls.find((p) => p.id === poll.id)!;
    expect(closed.results!.totals).toEqual({ [market!.id]: 1, [hub!.id]: 0, [gardens!.id]: 2 });
    const byOrg = Object.fromEntries(closed.results!.byOrganisation.map((r) => [r.organisation, r.counts]));
    expect(Object.keys(byOrg)).toHaveLength(3);
    expect(byOrg.Guests).toEqual({ [market!.id]: 1 });
    expect(closed.results!.byOrganisation.at(-1)!.organisation).toBe("Guests");
  });

  it("refuses a poll with fewer than two options, or the same option twice", async () => {
    const one = await intent(server.url, workshopId, fac, { intent: "open-poll", itemId, kind: "choice", question: "Q", options: "Only one" });
    expect(one).toEqual({ status: 400, message: "Give at least two options, one per line." });
    const twice = await intent(server.url, workshopId, fac, { intent: "open-poll", itemId, kind: "choice", question: "Q", options: "A\na" });
    expect(twice).toEqual({ status: 400, message: "Two options are the same. Give each option once." });
    const noKind = await intent(server.url, workshopId, fac, { intent: "open-poll", itemId, kind: "", question: "Q" });
    expect(noKind).toEqual({ status: 400, message: "Choose a single-choice poll or a consent check." });
  });
});

describe("consent checks", () => {
  it("needs a reason for an objection and shows answers and reasons by organisation once closed", async () => {
    expect(
      (await intent(server.url, workshopId, fac, { intent: "open-poll", itemId, kind: "consent", question: "We pilot the pop-up in the market hall." }))
        .status,
    ).toBe(200);
    const poll = (await polls()).find((p) => p.status === "open")!;
    expect(poll.options.map((o) => o.value)).toEqual(["agree", "stand_aside", "object"]);
    const [agree, aside, object] = poll.options;
    expect(await intent(server.url, workshopId, college, { intent: "answer-poll", pollId: poll.id, optionId: object!.id, reason: " " })).toEqual({
      status: 400,
      message: "An objection needs a reason: say what would have to change for you to agree.",
    });
    expect(await query("select count(*) n from workshop_poll_answers where poll_id = ?", poll.id)).toEqual([{ n: 0 }]);
    expect(
      (await intent(server.url, workshopId, college, { intent: "answer-poll", pollId: poll.id, optionId: object!.id, reason: "Step-free access first" }))
        .status,
    ).toBe(200);
    expect((await intent(server.url, workshopId, nhs, { intent: "answer-poll", pollId: poll.id, optionId: agree!.id })).status).toBe(200);
    expect((await intent(server.url, workshopId, guest, { intent: "answer-poll", pollId: poll.id, optionId: aside!.id })).status).toBe(200);
    expect((await intent(server.url, workshopId, fac, { intent: "close-poll", pollId: poll.id })).status).toBe(200);
    const closed = (await snapshotOf(nhs)).polls.find((p) => p.id === poll.id)!;
    expect(closed.results!.totals).toEqual({ [agree!.id]: 1, [aside!.id]: 1, [object!.id]: 1 });
    expect(closed.results!.reasons).toEqual([{ organisation: expect.stringMatching(/College/), option: "Object", reason: "Step-free access first" }]);
  });
});

describe("anonymous ideas", () => {
  it("stores ideas with no person or organisation while the setting is on, for the facilitator too", async () => {
    expect((await intent(server.url, workshopId, nhs, { intent: "set-options", anonymousIdeas: "on" })).status).toBe(403);
    expect((await intent(server.url, workshopId, fac, { intent: "set-options", anonymousIdeas: "on" })).status).toBe(200);
    expect((await snapshotOf(nhs)).control.anonymousIdeas).toBe(true);
    const text = "Anonymous: the hub's opening hours suit nobody who works";
    expect((await intent(server.url, workshopId, nhs, { intent: "add-idea", itemId, text })).status).toBe(200);
    expect((await intent(server.url, workshopId, guest, { intent: "add-idea", itemId, text: `${text} (guest)` })).status).toBe(200);
    const rows = await query<{ participant_id: number | null }>("select participant_id from workshop_ideas where text like 'Anonymous:%'");
    expect(rows).toEqual([{ participant_id: null }, { participant_id: null }]);
    // Nothing else ties the words to a person either.
    expect((await query<{ n: number }>("select count(*) n from audit_log where detail like '%opening hours%'"))[0]!.n).toBe(0);
    for (const cookie of [fac, nhs]) {
      const ideas = (await snapshotOf(cookie)).boards.find((b) => b.itemId === itemId)!.ideas.filter((i) => i.text.startsWith("Anonymous:"));
      expect(ideas.map((i) => [i.participantId, i.byLabel])).toEqual([
        [null, "Anonymous"],
        [null, "Anonymous"],
      ]);
    }
    // With no author on record, nobody but the facilitator can change or withdraw it.
    const id = (await snapshotOf(nhs)).boards.find((b) => b.itemId === itemId)!.ideas.find((i) => i.text === text)!.id;
    expect((await intent(server.url, workshopId, nhs, { intent: "remove-idea", ideaId: id })).status).toBe(403);
    expect((await intent(server.url, workshopId, fac, { intent: "set-options" })).status).toBe(200);
    expect((await intent(server.url, workshopId, nhs, { intent: "add-idea", itemId, text: "Named again" })).status).toBe(200);
    const named = await query<{ participant_id: number | null }>("select participant_id from workshop_ideas where text = 'Named again'");
    expect(named[0]!.participant_id).toBe((await snapshotOf(nhs)).mine.participantId);
  });
});

describe("editing ideas", () => {
  it("lets authors edit until the idea is grouped, and shows a facilitator's rewording as such", async () => {
    expect((await intent(server.url, workshopId, guest, { intent: "add-idea", itemId, text: "Buses to the market after 6" })).status).toBe(200);
    const find = async () => (await snapshotOf(guest)).boards.find((b) => b.itemId === itemId)!.ideas.find((i) => i.text.startsWith("Buses"))!;
    const idea = await find();
    expect((await intent(server.url, workshopId, guest, { intent: "edit-idea", ideaId: idea.id, text: "Buses to the market after 6pm" })).message).toBe(
      "Your idea is changed.",
    );
    expect((await find()).edited).toEqual({ by: "author", original: "Buses to the market after 6" });
    // Someone else's idea is not theirs to change.
    expect((await intent(server.url, workshopId, nhs, { intent: "edit-idea", ideaId: idea.id, text: "Hijacked" })).status).toBe(403);
    expect((await intent(server.url, workshopId, guest, { intent: "edit-idea", ideaId: idea.id, text: "" })).status).toBe(400);

    expect((await intent(server.url, workshopId, fac, { intent: "create-group", itemId, label: "Transport" })).status).toBe(200);
    const groupId = (await readState(server.url, workshopId, fac)).snapshot.boards.find((b) => b.itemId === itemId)!.groups.at(-1)!.id;
    expect((await intent(server.url, workshopId, fac, { intent: "set-idea-group", ideaId: idea.id, groupId })).status).toBe(200);
    expect(await intent(server.url, workshopId, guest, { intent: "edit-idea", ideaId: idea.id, text: "Late buses" })).toEqual({
      status: 403,
      message: "The facilitator has organised this idea, so its words are fixed. Ask the facilitator to reword it.",
    });
    expect((await intent(server.url, workshopId, guest, { intent: "remove-idea", ideaId: idea.id })).status).toBe(403);

    expect((await intent(server.url, workshopId, fac, { intent: "edit-idea", ideaId: idea.id, text: "Evening buses to the market" })).status).toBe(200);
    expect(await find()).toBeUndefined();
    const reworded = (await snapshotOf(guest)).boards.find((b) => b.itemId === itemId)!.ideas.find((i) => i.id === idea.id)!;
    expect(reworded.text).toBe("Evening buses to the market");
    expect(reworded.edited).toEqual({ by: "facilitator", original: "Buses to the market after 6" });
    expect(await query("select previous_text, text, revised_by_role from workshop_idea_revisions where idea_id = ? order by id", idea.id)).toEqual([
      { previous_text: "Buses to the market after 6", text: "Buses to the market after 6pm", revised_by_role: "author" },
      { previous_text: "Buses to the market after 6pm", text: "Evening buses to the market", revised_by_role: "facilitator" },
    ]);
  });
});

describe("time boxes", () => {
  it("starts the next item's timer at once when the setting is on, and leaves it paused when off", async () => {
    expect((await intent(server.url, workshopId, fac, { intent: "next-item" })).status).toBe(200);
    expect((await snapshotOf(fac)).control.timer.startedAt).toBeNull();
    expect((await intent(server.url, workshopId, fac, { intent: "set-options", autoStartTimer: "on" })).status).toBe(200);
    const before = Date.now();
    expect((await intent(server.url, workshopId, fac, { intent: "next-item" })).status).toBe(200);
    const control = (await snapshotOf(nhs)).control;
    expect(control.autoStartTimer).toBe(true);
    expect(control.timer.startedAt).not.toBeNull();
    expect(control.timer.startedAt!).toBeGreaterThanOrEqual(before - 1000);
  });
});

describe("ideas on an engagement proposal", () => {
  it("become commitments of the proposal, with the decision recorded", async () => {
    const proposalId = ((await query<{ id: string }>("select id from plans where kind = 'engagement_proposal' limit 1"))[0]!).id;
    const id = await createWorkshop(server.url, fac, { planId: proposalId, title: "Shaping the proposal" });
    expect((await intent(server.url, id, fac, { intent: "start-session" })).status).toBe(200);
    const item = (await readState(server.url, id, fac)).snapshot.control.currentItemId!;
    expect((await intent(server.url, id, nhs, { intent: "add-idea", itemId: item, text: "Residents co-chair the steering group" })).status).toBe(200);
    const idea = (await readState(server.url, id, fac)).snapshot.boards.find((b) => b.itemId === item)!.ideas[0]!;
    // A participant cannot do it; the facilitator can, without a priority or a lead.
    expect((await intent(server.url, id, nhs, { intent: "capture-idea", ideaId: idea.id, title: "Residents co-chair" })).status).toBe(403);
    const made = await intent(server.url, id, fac, { intent: "capture-idea", ideaId: idea.id, title: "Residents co-chair the steering group" });
    expect(made).toEqual({ status: 200, message: "“Residents co-chair the steering group” is now a commitment of the proposal; no lead partner yet." });
    const rows = await query<{ plan_id: string; priority_id: string | null }>(
      "select a.plan_id, a.priority_id from workshop_ideas i join actions a on a.id = i.captured_action_id where i.id = ?",
      idea.id,
    );
    expect(rows).toEqual([{ plan_id: proposalId, priority_id: null }]);
    const decisions = (await readState(server.url, id, fac)).snapshot.decisions.map((d) => d.text);
    expect(decisions).toContain("Make “Residents co-chair the steering group” a commitment of the proposal; no lead partner yet.");
  });
});
