import { sqlRows } from "../helpers/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type AppServer, login, PLAN_ID, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { createWorkshop, EventStream, guestCodeOf, intent, joinAsGuest, readState } from "../helpers/workshop-client";

let server: AppServer;
let fac: string;
let workshopId: string;
let itemId: number;

async function dotsOf(participantId: number, voteId: number): Promise<number> {
  return (await sqlRows<{ n: number }>(server.dbFile, "select count(*) n from workshop_dots where participant_id = ? and vote_id = ?", participantId, voteId))[0]!.n;
}

async function openVote(allowance: number) {
  const opened = await intent(server.url, workshopId, fac, { intent: "open-vote", itemId, subject: "ideas", allowance });
  expect(opened.status).toBe(200);
  const votes = (await readState(server.url, workshopId, fac)).snapshot.votes;
  return votes.find((v) => v.status === "open")!;
}

beforeAll(async () => {
  server = await startAppServer();
  await reopenSeededPlan(server.url);
  fac = await login(server.url, ACCOUNTS.facilitator);
  workshopId = await createWorkshop(server.url, fac, { planId: PLAN_ID, title: "Dot voting session" });
  await intent(server.url, workshopId, fac, { intent: "start-session" });
  itemId = (await readState(server.url, workshopId, fac)).snapshot.control.currentItemId!;
  for (const text of ["Idea A", "Idea B", "Idea C"]) {
    expect((await intent(server.url, workshopId, fac, { intent: "add-idea", itemId, text })).status).toBe(200);
  }
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

describe("dot voting is enforced by the server", () => {
  it("refuses a vote beyond the allowance, and counts nothing for it", async () => {
    const nhs = await login(server.url, ACCOUNTS.nhsEditor);
    const vote = await openVote(2);
    const [a, b] = vote.options;
    expect((await intent(server.url, workshopId, nhs, { intent: "add-dot", voteId: vote.id, optionId: a!.id })).message).toBe("Vote added. You have 1 vote left.");
    expect((await intent(server.url, workshopId, nhs, { intent: "add-dot", voteId: vote.id, optionId: a!.id })).status).toBe(200);
    const third = await intent(server.url, workshopId, nhs, { intent: "add-dot", voteId: vote.id, optionId: b!.id });
    expect(third).toEqual({ status: 409, message: "You have used all 2 of your votes. Take one back to move it." });
    const me = (await readState(server.url, workshopId, nhs)).snapshot.mine;
    expect(me.dots[vote.id]).toEqual({ [a!.id]: 2 });
    expect(await dotsOf(me.participantId!, vote.id)).toBe(2);
    // Taking one back frees it for another option.
    expect((await intent(server.url, workshopId, nhs, { intent: "remove-dot", voteId: vote.id, optionId: a!.id })).status).toBe(200);
    expect((await intent(server.url, workshopId, nhs, { intent: "add-dot", voteId: vote.id, optionId: b!.id })).status).toBe(200);
    expect((await readState(server.url, workshopId, nhs)).snapshot.mine.dots[vote.id]).toEqual({ [a!.id]: 1, [b!.id]: 1 });
    expect((await intent(server.url, workshopId, fac, { intent: "close-vote", voteId: vote.id })).status).toBe(200);
  });

  it("gives two tabs (and two devices) of one person no more than the allowance when they race", async () => {
    const vote = await openVote(3);
    const tab = await login(server.url, ACCOUNTS.collegeEditor);
    const otherDevice = await login(server.url, ACCOUNTS.collegeEditor);
    const shots = Array.from({ length: 12 }, (_, i) =>
      intent(server.url, workshopId, i % 3 === 2 ? otherDevice : tab, {
        intent: "add-dot",
        voteId: vote.id,
        optionId: vote.options[i % vote.options.length]!.id,
      }),
    );
    const results = await Promise.all(shots);
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    const participantId = (await readState(server.url, workshopId, tab)).snapshot.mine.participantId!;
    expect(await dotsOf(participantId, vote.id)).toBe(3);

    // A guest's two tabs share the guest cookie: the same holds.
    const guest = (await joinAsGuest(server.url, await guestCodeOf(server.url, workshopId, fac), "Kit")).cookie!;
    const guestShots = await Promise.all(
      Array.from({ length: 8 }, () => intent(server.url, workshopId, guest, { intent: "add-dot", voteId: vote.id, optionId: vote.options[0]!.id })),
    );
    expect(guestShots.filter((r) => r.status === 200)).toHaveLength(3);
    const guestParticipant = (await readState(server.url, workshopId, guest)).snapshot.mine.participantId!;
    expect(await dotsOf(guestParticipant, vote.id)).toBe(3);
    expect((await intent(server.url, workshopId, fac, { intent: "close-vote", voteId: vote.id })).status).toBe(200);
  });

  it("keeps counts hidden from everyone, the facilitator included, until they are revealed", async () => {
    const vote = await openVote(1);
    const nhs = await login(server.url, ACCOUNTS.nhsEditor);
    const watcher = new EventStream(server.url, workshopId, await login(server.url, ACCOUNTS.housingEditor));
    await watcher.waitFor((e) => e.event === "snapshot");
    expect((await intent(server.url, workshopId, nhs, { intent: "add-dot", voteId: vote.id, optionId: vote.options[1]!.id })).status).toBe(200);
    // Progress is shown (how many have voted), counts are not, on any channel.
    const progress = await watcher.waitFor((e) => e.event === "votes" && e.data.data.some((v: { id: number; dotsCast: number }) => v.id === vote.id && v.dotsCast === 1));
    expect(progress.data.data.find((v: { id: number }) => v.id === vote.id).results).toBeNull();
    for (const cookie of [fac, nhs]) {
      const v = (await readState(server.url, workshopId, cookie)).snapshot.votes.find((x) => x.id === vote.id)!;
      expect(v.results).toBeNull();
    }

    expect((await intent(server.url, workshopId, fac, { intent: "reveal-vote", voteId: vote.id })).status).toBe(200);
    const revealed = await watcher.waitFor((e) => e.event === "votes" && e.data.data.some((v: { id: number; revealed: boolean }) => v.id === vote.id && v.revealed));
    const results = revealed.data.data.find((v: { id: number }) => v.id === vote.id).results;
    expect(results[0]).toMatchObject({ optionId: vote.options[1]!.id, count: 1, rank: 1 });
    // Revealing closed the vote: nobody votes knowing the counts.
    expect(revealed.data.data.find((v: { id: number }) => v.id === vote.id).status).toBe("closed");
    watcher.close();
  });

  it("refuses votes and take-backs after the vote closes, changing nothing", async () => {
    const vote = await openVote(2);
    const nhs = await login(server.url, ACCOUNTS.nhsEditor);
    expect((await intent(server.url, workshopId, nhs, { intent: "add-dot", voteId: vote.id, optionId: vote.options[0]!.id })).status).toBe(200);
    expect((await intent(server.url, workshopId, fac, { intent: "close-vote", voteId: vote.id })).status).toBe(200);
    const before = (await readState(server.url, workshopId, nhs)).snapshot;
    const late = await intent(server.url, workshopId, nhs, { intent: "add-dot", voteId: vote.id, optionId: vote.options[1]!.id });
    expect(late).toEqual({ status: 409, message: "This vote has closed, so votes can no longer be cast or changed." });
    const takeBack = await intent(server.url, workshopId, nhs, { intent: "remove-dot", voteId: vote.id, optionId: vote.options[0]!.id });
    expect(takeBack.status).toBe(409);
    const after = (await readState(server.url, workshopId, nhs)).snapshot;
    expect(after.version).toBe(before.version);
    expect(after.votes).toEqual(before.votes);
    expect(after.mine).toEqual(before.mine);
  });

  it("votes on the plan's actions under the item's priority, labelled as they were when it opened", async () => {
    const opened = await intent(server.url, workshopId, fac, { intent: "open-vote", itemId, subject: "actions", allowance: 2, title: "Which actions matter most?" });
    expect(opened.status).toBe(200);
    const state = (await readState(server.url, workshopId, fac)).snapshot;
    const vote = state.votes.find((v) => v.status === "open")!;
    expect(vote).toMatchObject({ title: "Which actions matter most?", allowance: 2 });
    const actions = await sqlRows<{ title: string }>(
      server.dbFile,
      "select title from actions where plan_id = ? and priority_id = ? order by position",
      PLAN_ID,
      state.agenda.find((i) => i.id === itemId)!.priorityId,
    );
    expect(vote.options.map((o) => o.label)).toEqual(actions.map((a) => a.title));
    expect(actions.length).toBeGreaterThan(1);
    await intent(server.url, workshopId, fac, { intent: "close-vote", voteId: vote.id });
  });

  it("does not let the facilitator vote", async () => {
    const vote = await openVote(1);
    const res = await intent(server.url, workshopId, fac, { intent: "add-dot", voteId: vote.id, optionId: vote.options[0]!.id });
    expect(res).toEqual({ status: 403, message: "Facilitators run the vote but do not vote in it." });
    await intent(server.url, workshopId, fac, { intent: "close-vote", voteId: vote.id });
  });
});
