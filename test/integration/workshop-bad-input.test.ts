import { sqlRows } from "../helpers/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type AppServer, login, PLAN_ID, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { createWorkshop, guestCodeOf, intent, joinAsGuest, readState } from "../helpers/workshop-client";

let server: AppServer;
let fac: string;
let nhs: string;
let workshopId: string;
let otherWorkshopId: string;
let itemId: number;
let otherItemId: number;

async function count(table: string): Promise<number> {
  return (await sqlRows<{ n: number }>(server.dbFile, `select count(*) n from ${table}`))[0]!.n;
}

/** Runs a refused request and checks that it said why and changed nothing. */
async function refused(cookie: string, fields: Record<string, string | number>, status: number, message: string, id = workshopId) {
  const before = await readState(server.url, id, fac);
  const other = await readState(server.url, otherWorkshopId, fac);
  const tables = ["workshop_ideas", "workshop_votes", "workshop_dots", "workshop_decisions", "workshop_items", "audit_log"].map(count);
  const res = await intent(server.url, id, cookie, fields);
  expect(res).toEqual({ status, message });
  expect((await readState(server.url, id, fac)).snapshot).toEqual(before.snapshot);
  expect((await readState(server.url, otherWorkshopId, fac)).snapshot).toEqual(other.snapshot);
  expect(["workshop_ideas", "workshop_votes", "workshop_dots", "workshop_decisions", "workshop_items", "audit_log"].map(count)).toEqual(tables);
}

beforeAll(async () => {
  server = await startAppServer();
  await reopenSeededPlan(server.url);
  fac = await login(server.url, ACCOUNTS.facilitator);
  nhs = await login(server.url, ACCOUNTS.nhsEditor);
  workshopId = await createWorkshop(server.url, fac, { planId: PLAN_ID, title: "Careful inputs" });
  otherWorkshopId = await createWorkshop(server.url, fac, { planId: "corporate-plan-delivery-2022-23", title: "Another workshop" });
  await intent(server.url, workshopId, fac, { intent: "start-session" });
  await intent(server.url, otherWorkshopId, fac, { intent: "start-session" });
  itemId = (await readState(server.url, workshopId, fac)).snapshot.control.currentItemId!;
  otherItemId = (await readState(server.url, otherWorkshopId, fac)).snapshot.control.currentItemId!;
  // Make the participant exist first, so the checks below compare like with like.
  await readState(server.url, workshopId, nhs);
  await fetch(`${server.url}/workshops/${workshopId}`, { headers: { Cookie: nhs } });
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

describe("bad input gets a clear message and changes nothing", () => {
  it("refuses empty and over-long ideas", async () => {
    await refused(nhs, { intent: "add-idea", itemId, text: "" }, 400, "Write your idea before adding it.");
    await refused(nhs, { intent: "add-idea", itemId, text: "   \n  " }, 400, "Write your idea before adding it.");
    await refused(nhs, { intent: "add-idea", itemId, text: "x".repeat(281) }, 400, "Keep an idea short: 280 characters at most. Add a second idea for the rest.");
  });

  it("refuses an agenda item from another workshop, whatever the request", async () => {
    const msg = "That agenda item belongs to another workshop. Choose an item from this workshop's agenda.";
    await refused(nhs, { intent: "add-idea", itemId: otherItemId, text: "Wrong room" }, 400, msg);
    await refused(fac, { intent: "go-to-item", itemId: otherItemId }, 400, msg);
    await refused(fac, { intent: "open-vote", itemId: otherItemId, subject: "ideas", allowance: 3 }, 400, msg);
    await refused(fac, { intent: "record-decision", itemId: otherItemId, text: "Decided elsewhere" }, 400, msg);
    await refused(fac, { intent: "remove-item", itemId: otherItemId }, 400, msg);
    await refused(nhs, { intent: "add-idea", itemId: "not-a-number", text: "x" }, 400, "That agenda item is not part of this workshop. Reload the page and try again.");
    await refused(nhs, { intent: "add-idea", itemId: 999_999, text: "x" }, 404, "That agenda item no longer exists. Reload the page to see the current agenda.");
  });

  it("refuses a vote on a closed vote", async () => {
    for (const text of ["One", "Two"]) await intent(server.url, workshopId, nhs, { intent: "add-idea", itemId, text });
    expect((await intent(server.url, workshopId, fac, { intent: "open-vote", itemId, subject: "ideas", allowance: 2 })).status).toBe(200);
    const vote = (await readState(server.url, workshopId, fac)).snapshot.votes[0]!;
    expect((await intent(server.url, workshopId, fac, { intent: "close-vote", voteId: vote.id })).status).toBe(200);
    await refused(nhs, { intent: "add-dot", voteId: vote.id, optionId: vote.options[0]!.id }, 409, "This vote has closed, so votes can no longer be cast or changed.");
    await refused(fac, { intent: "close-vote", voteId: vote.id }, 409, "This vote is already closed.");
    // An option of another vote, or a vote of another workshop, is not this vote's.
    expect((await intent(server.url, workshopId, fac, { intent: "open-vote", itemId, subject: "ideas", allowance: 1 })).status).toBe(200);
    const open = (await readState(server.url, workshopId, fac)).snapshot.votes.find((v) => v.status === "open")!;
    await refused(nhs, { intent: "add-dot", voteId: open.id, optionId: vote.options[0]!.id }, 400, "Choose one of this vote's options.");
    await refused(nhs, { intent: "add-dot", voteId: open.id, optionId: open.options[0]!.id }, 404, "That vote is not part of this workshop. Reload the page to see the current vote.", otherWorkshopId);
    await intent(server.url, workshopId, fac, { intent: "close-vote", voteId: open.id });
  });

  it("refuses an expired guest code, with a message, and lets nobody in", async () => {
    const closing = await createWorkshop(server.url, fac, { planId: PLAN_ID, title: "Short session" });
    const code = await guestCodeOf(server.url, closing, fac);
    expect((await intent(server.url, closing, fac, { intent: "close-workshop" })).status).toBe(200);
    const participants = await count("workshop_participants");
    const sessions = await count("workshop_guest_sessions");
    const res = await joinAsGuest(server.url, code, "Latecomer");
    expect(res.status).toBe(403);
    expect(res.message).toBe("This workshop code has expired: the facilitator has closed the workshop. Thank you for taking part.");
    expect(res.cookie).toBeNull();
    expect(await count("workshop_participants")).toBe(participants);
    expect(await count("workshop_guest_sessions")).toBe(sessions);
    const empty = await joinAsGuest(server.url, "", "");
    expect(empty.status).toBe(400);
    expect(empty.message).toBe("Enter the workshop code shown by the facilitator. Enter the name you would like others in the workshop to see.");
  });

  it("refuses out-of-range settings with a message naming the limit", async () => {
    await refused(fac, { intent: "open-vote", itemId, subject: "ideas", allowance: 0 }, 400, "Give each person at least 1 vote.");
    await refused(fac, { intent: "open-vote", itemId, subject: "everything", allowance: 2 }, 400, "Choose whether the room votes on ideas or on actions.");
    await refused(fac, { intent: "timer", timer: "add", minutes: 0 }, 400, "Add at least one minute.");
    await refused(fac, { intent: "add-item", kind: "general", title: "Break", minutes: 0 }, 400, "Give each agenda item a time box of at least 1 minute.");
    await refused(fac, { intent: "add-item", kind: "priority", linkId: "p-cc-2", minutes: 10 }, 400, "Choose one of this plan's priorities for the agenda item.");
    await refused(fac, { intent: "add-item", kind: "general", title: "", minutes: 10 }, 400, "Give the agenda item a title, like “Welcome and introductions”.");
    await refused(fac, { intent: "record-decision", itemId, text: " " }, 400, "Write the decision before recording it (at least 3 characters).");
    await refused(fac, { intent: "merge-idea", ideaId: 1, intoIdeaId: 1 }, 400, "Choose a different idea to merge into.");
    await refused(nhs, { intent: "unknown-thing" }, 400, "That request was not understood. Reload the page and try again.");
    await refused(fac, { intent: "previous-item" }, 409, "This is the first agenda item.");
  });

  it("refuses a workshop without a title, or on a plan the person cannot run", async () => {
    const res = await fetch(`${server.url}/workshops/new?plan=${PLAN_ID}`, {
      method: "POST",
      headers: { Cookie: fac, Origin: server.origin },
      body: new URLSearchParams({ planId: PLAN_ID, title: " ", scheduledFor: "2026-12-10T10:00" }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Give the workshop a title of at least 3 characters.");
    const editorTry = await fetch(`${server.url}/workshops/new?plan=${PLAN_ID}`, {
      method: "POST",
      headers: { Cookie: nhs, Origin: server.origin },
      body: new URLSearchParams({ planId: PLAN_ID, title: "Editor's own workshop", scheduledFor: "2026-12-10T10:00" }),
    });
    expect(editorTry.status).toBe(403);
    expect(await editorTry.text()).toContain("Only a facilitator can set up a workshop on this plan.");
    expect(await sqlRows(server.dbFile, "select count(*) n from workshops where title = ?", "Editor's own workshop")).toEqual([{ n: 0 }]);
  });
});
