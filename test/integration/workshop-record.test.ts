import { parse } from "csv-parse/sync";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type AppServer, login, PLAN_ID, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { createWorkshop, guestCodeOf, intent, joinAsGuest, readState } from "../helpers/workshop-client";

let server: AppServer;
let fac: string;
let workshopId: string;

beforeAll(async () => {
  server = await startAppServer();
  await reopenSeededPlan(server.url);
  fac = await login(server.url, ACCOUNTS.facilitator);
  const nhs = await login(server.url, ACCOUNTS.nhsEditor);
  const college = await login(server.url, ACCOUNTS.collegeEditor);
  workshopId = await createWorkshop(server.url, fac, {
    planId: PLAN_ID,
    title: "Market hall & flexi hall: partners' session",
    invite: ["bury-college", "greater-manchester-police"],
  });
  const guest = (await joinAsGuest(server.url, await guestCodeOf(server.url, workshopId, fac), "Dee (Radcliffe resident)")).cookie!;
  const ok = async (cookie: string, fields: Record<string, string | number>) => expect((await intent(server.url, workshopId, cookie, fields)).status).toBe(200);
  await ok(fac, { intent: "start-session" });
  const itemId = (await readState(server.url, workshopId, fac)).snapshot.control.currentItemId!;
  await ok(nhs, { intent: "add-idea", itemId, text: "Health checks stall on market days" });
  await ok(college, { intent: "add-idea", itemId, text: "Student-run food court, \"Taste of Bury\"" });
  await ok(guest, { intent: "add-idea", itemId, text: "Late opening, Fridays" });
  await ok(guest, { intent: "add-idea", itemId, text: "Open late on Friday evenings" });
  const board = (await readState(server.url, workshopId, fac)).snapshot.boards.find((b) => b.itemId === itemId)!;
  const byText = (t: string) => board.ideas.find((i) => i.text === t)!.id;
  await ok(fac, { intent: "merge-idea", ideaId: byText("Open late on Friday evenings"), intoIdeaId: byText("Late opening, Fridays") });
  await ok(fac, { intent: "create-group", itemId, label: "Evening economy" });
  const group = (await readState(server.url, workshopId, fac)).snapshot.boards.find((b) => b.itemId === itemId)!.groups[0]!;
  await ok(fac, { intent: "set-idea-group", ideaId: byText("Late opening, Fridays"), groupId: group.id });
  await ok(fac, { intent: "open-vote", itemId, subject: "ideas", allowance: 2 });
  const vote = (await readState(server.url, workshopId, fac)).snapshot.votes[0]!;
  const option = (label: string) => vote.options.find((o) => o.label === label)!.id;
  await ok(nhs, { intent: "add-dot", voteId: vote.id, optionId: option("Late opening, Fridays") });
  await ok(guest, { intent: "add-dot", voteId: vote.id, optionId: option("Late opening, Fridays") });
  await ok(college, { intent: "add-dot", voteId: vote.id, optionId: option("Student-run food court, \"Taste of Bury\"") });
  await ok(fac, { intent: "reveal-vote", voteId: vote.id });
  await ok(fac, { intent: "record-decision", itemId, text: "Trial late opening for three months from spring." });
  await ok(fac, {
    intent: "capture-idea",
    ideaId: byText("Late opening, Fridays"),
    title: "Trial Friday late opening of the market hall",
    priorityId: "p-bgi-1",
    leadOrganisationId: "six-town-housing",
  });
  // A poll, closed in the session, and a consent check the closing of the workshop closes.
  await ok(fac, { intent: "open-poll", itemId, kind: "choice", question: "Which evening first?", options: "Thursday\nFriday" });
  const poll = (await readState(server.url, workshopId, fac)).snapshot as unknown as { polls: { id: number; options: { id: number; label: string }[] }[] };
  const pick = (label: string) => poll.polls[0]!.options.find((o) => o.label === label)!.id;
  await ok(nhs, { intent: "answer-poll", pollId: poll.polls[0]!.id, optionId: pick("Friday") });
  await ok(college, { intent: "answer-poll", pollId: poll.polls[0]!.id, optionId: pick("Thursday") });
  await ok(guest, { intent: "answer-poll", pollId: poll.polls[0]!.id, optionId: pick("Friday") });
  await ok(fac, { intent: "close-poll", pollId: poll.polls[0]!.id });
  await ok(fac, { intent: "open-poll", itemId, kind: "consent", question: "We trial Friday late opening." });
  const consent = ((await readState(server.url, workshopId, fac)).snapshot as unknown as typeof poll).polls[1]!;
  const answer = (value: string) => consent.options.find((o) => o.label === value)!.id;
  await ok(nhs, { intent: "answer-poll", pollId: consent.id, optionId: answer("Agree") });
  await ok(college, { intent: "answer-poll", pollId: consent.id, optionId: answer("Object"), reason: "Students leave at 5pm on Fridays" });
  await ok(guest, { intent: "answer-poll", pollId: consent.id, optionId: answer("Stand aside") });
  await ok(fac, { intent: "close-workshop" });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe("the workshop record", () => {
  it("downloads as a Word document holding the agenda, attendance, ideas, votes, decisions and actions", async () => {
    const res = await fetch(`${server.url}/workshops/${workshopId}/record.docx`, { headers: { Cookie: fac } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(res.headers.get("content-disposition")).toContain('filename="market-hall-flexi-hall-partners-session-record.docx"');
    const zip = await JSZip.loadAsync(await res.arrayBuffer());
    const xml = await zip.file("word/document.xml")!.async("string");
    const text = xml.replace(/<w:tab\/>/g, " ").replace(/<[^>]+>/g, "").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/&apos;/g, "'");
    for (const expected of [
      "Market hall & flexi hall: partners' session",
      "Agenda",
      "Developing Bury Market & Flexi Hall",
      "Attendance",
      "NHS Bury CCG",
      "Bury College",
      "Guests (no account)",
      "Dee (Radcliffe resident)",
      "Invited but not present: Greater Manchester Police",
      "Health checks stall on market days",
      "merged in: Open late on Friday evenings",
      "group: Evening economy",
      "Votes",
      "2 votes each; 3 cast by 3 people",
      "Polls and consent checks",
      "Poll: Which evening first?",
      "Consent check: We trial Friday late opening.",
      "Object (Bury College): Students leave at 5pm on Fridays",
      "Decisions",
      "Trial late opening for three months from spring.",
      "Actions created",
      "Trial Friday late opening of the market hall",
      "Six Town Housing (asked; pending until it accepts)",
    ]) {
      expect(text).toContain(expected);
    }
    // The vote table ranks the options: the winner first, with its count.
    expect(text).toMatch(/1Late opening, Fridays2/);
    // Poll tables: one row per organisation, then everyone.
    expect(text).toMatch(/OrganisationThursdayFridayBury College10/);
    expect(text).toMatch(/NHS Bury CCG01/);
    expect(text).toMatch(/Guests01Everyone12/);
    expect(text).toMatch(/OrganisationAgreeStand asideObject/);
  });

  it("downloads as CSV that a spreadsheet (or csv-parse) reads back row by row", async () => {
    const res = await fetch(`${server.url}/workshops/${workshopId}/record.csv`, { headers: { Cookie: fac } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const rows = parse(await res.text(), { columns: true, bom: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(["Record", "Agenda item", "Text", "Organisation", "Person", "Votes", "Rank", "Status", "Time"]);
    const of = (kind: string) => rows.filter((r) => r.Record === kind);
    expect(of("Workshop")[0]).toMatchObject({ Text: "Market hall & flexi hall: partners' session", Status: "Closed" });
    expect(of("Agenda").length).toBeGreaterThan(3);
    expect(of("Attendance").map((r) => `${r.Organisation}/${r.Person}`)).toEqual(
      expect.arrayContaining(["NHS Bury CCG/Rahul Mistry", "Guests (no account)/Dee (Radcliffe resident)", "Bury Council/Helen Ashworth"]),
    );
    expect(of("Invitation")).toEqual(
      expect.arrayContaining([expect.objectContaining({ Organisation: "Greater Manchester Police", Status: "not present" })]),
    );
    // Quotes and commas survive the round trip.
    expect(of("Idea").map((r) => r.Text)).toContain('Student-run food court, "Taste of Bury"');
    expect(of("Idea (merged)")[0]).toMatchObject({ Text: "Open late on Friday evenings", Status: "merged into: Late opening, Fridays" });
    expect(of("Vote")[0]).toMatchObject({ Text: "Late opening, Fridays", Votes: "2", Rank: "1" });
    expect(of("Decision").map((r) => r.Text)).toContain("Trial late opening for three months from spring.");
    expect(of("Poll").map((r) => `${r.Organisation}/${r.Text}/${r.Votes}`)).toEqual(
      expect.arrayContaining(["Bury College/Thursday/1", "NHS Bury CCG/Friday/1", "Guests/Friday/1", "Everyone/Friday/2", "Everyone/Thursday/1"]),
    );
    expect(of("Consent check").filter((r) => r.Organisation === "Everyone").map((r) => `${r.Text}/${r.Votes}`)).toEqual(["Agree/1", "Stand aside/1", "Object/1"]);
    expect(of("Consent check reason")[0]).toMatchObject({ Text: "Students leave at 5pm on Fridays", Organisation: "Bury College", Status: "Object: We trial Friday late opening." });
    expect(of("Action created")[0]).toMatchObject({ Text: "Trial Friday late opening of the market hall", Organisation: "Six Town Housing", Status: "lead pending" });
  });

  it("shows as a page to partners, and the captured action is in the plan with its lead pending", async () => {
    const college = await login(server.url, ACCOUNTS.collegeEditor);
    const page = await (await fetch(`${server.url}/workshops/${workshopId}/record`, { headers: { Cookie: college } })).text();
    expect(page).toContain("Workshop record");
    expect(page).toContain('data-testid="attendance"');
    expect(page).toContain("Trial Friday late opening of the market hall");
    const polls = /data-testid="record-polls"[\s\S]*?<\/section>/.exec(page)?.[0] ?? "";
    expect(polls).toContain("Which evening first?");
    expect(polls.replace(/<!-- -->/g, "")).toMatch(/<th scope="row">Bury College<\/th><td>0<\/td><td>0<\/td><td>1<\/td>/);
    expect(polls).toContain("Students leave at 5pm on Fridays");
    const html = await (await fetch(`${server.url}/plans/${PLAN_ID}?priority=all&show=100`, { headers: { Cookie: college } })).text();
    const text = html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    const card = /Trial Friday late opening of the market hall.{0,200}/.exec(text)?.[0] ?? "(not on the plan page)";
    expect(card).toMatch(/Lead partner Six Town Housing Lead · pending/);
  });

  it("lists the seeded sample workshop for partners, with its agenda from the plan's priorities", async () => {
    const nhs = await login(server.url, ACCOUNTS.nhsEditor);
    const list = await (await fetch(`${server.url}/workshops`, { headers: { Cookie: nhs } })).text();
    expect(list).toContain("Let&#x27;s Do It! partners&#x27; session");
    const state = await readState(server.url, "wsh-lets-do-it-partners-session", nhs);
    expect(state.snapshot.agenda.map((i) => i.kind)).toEqual(["general", "priority", "priority", "priority", "priority", "priority", "priority", "general"]);
  });
});
