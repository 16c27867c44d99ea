/**
 * A partnership runs its own planning cycle over HTTP (as a browser without JavaScript posts its
 * forms) and the sync socket: a new plan with priorities and partners, priorities later, title
 * and due edits re-opening agreement, archive (HTTP and socket), the next plan with carried
 * actions and per-organisation re-confirmation. Each refusal is a 4xx with a sentence; each
 * change leaves its history row naming who, which organisation, when, from what to what.
 */
import { sqlRows } from "../helpers/test-db";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readParagraphs, replaceContent } from "../../server/documents/lexical-content";
import { ACCOUNTS, login, postForm, startAppServer, type AppServer } from "../helpers/app-server";
import { connectClient, eventually, waitForSync } from "../helpers/yjs-client";

let server: AppServer;
const cookies: Partial<Record<keyof typeof ACCOUNTS, string>> = {};
const who = async (w: keyof typeof ACCOUNTS) => (cookies[w] ??= await login(server.url, ACCOUNTS[w]));

beforeAll(async () => {
  server = await startAppServer();
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

const query = <T>(sql: string, ...params: unknown[]): Promise<T[]> => sqlRows<T>(server.dbFile, sql, ...params);
const one = async <T>(sql: string, ...params: unknown[]) => (await query<T>(sql, ...params))[0]!;

async function postRaw(path: string, cookie: string, fields: [string, string][]) {
  const res = await fetch(`${server.url}${path}`, { method: "POST", headers: { Cookie: cookie, Origin: server.origin }, body: new URLSearchParams(fields), redirect: "manual" });
  return { status: res.status, location: res.headers.get("location"), text: await res.text() };
}

const PLAN_FORM: [string, string][] = [
  ["title", "Cycle test plan 2025-26"],
  ["strategyId", "lets-do-it-2030"],
  ["periodStart", "2025-04-01"],
  ["periodEnd", "2026-03-31"],
  ["priorities[0].code", "CT-1"],
  ["priorities[0].title", "Healthy high streets"],
  ["priorities[0].grouping", "Cycle grouping"],
  ["priorities[1].code", "CT-2"],
  ["priorities[1].title", "Warm homes"],
  ["priorities[2].code", "CT-3"],
  ["priorities[2].title", "Skills for work"],
  ["priorities[3].code", ""],
  ["priorities[3].title", ""],
  ["role:bury-council", "editor"],
  ["role:nhs-bury-ccg", "editor"],
  ["role:bury-college", "none"],
  ["intent", "create"],
];

let planId = "";
let priorityIds: string[] = [];

describe("a new action plan", () => {
  it("is for facilitators only: 403 for a partner editor, on the page and the form post", async () => {
    const editor = await who("councilEditor");
    expect((await fetch(`${server.url}/plans/new`, { headers: { Cookie: editor } })).status).toBe(403);
    const post = await postRaw("/plans/new", editor, PLAN_FORM);
    expect(post.status).toBe(403);
    expect(post.text).toContain("Only a facilitator or an administrator can create plans");
  });

  it("refuses bad input with 400 and a sentence next to each field", async () => {
    const fac = await who("facilitator");
    const bad = await postRaw("/plans/new", fac, [
      ["title", "x"],
      ["strategyId", "lets-do-it-2030"],
      ["periodStart", "2026-04-01"],
      ["periodEnd", "2025-03-31"],
      ["priorities[0].code", "A"],
      ["priorities[0].title", "Fine title"],
      ["priorities[1].code", "a"],
      ["priorities[1].title", "Same code"],
    ]);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Give the plan a title of at least 3 characters.");
    expect(bad.text).toContain("The period must end after it starts.");
    expect(bad.text).toContain("Two priorities have the code");
    expect(bad.text).toContain('id="title-error"');
    const none = await postRaw("/plans/new", fac, [["title", "No priorities plan"], ["strategyId", "lets-do-it-2030"], ["periodStart", "2026-04-01"], ["periodEnd", "2027-03-31"]]);
    expect(none.status).toBe(400);
    expect(none.text).toContain("Add at least one priority");
    // Without JavaScript, "Add a priority" asks the server for one more row.
    const more = await postRaw("/plans/new", fac, [...PLAN_FORM.filter(([k]) => k !== "intent"), ["intent", "more-rows"]]);
    expect(more.status).toBe(200);
    expect(more.text).toContain('name="priorities[3].code"');
    expect(await query("select id from plans where title = ?", "Cycle test plan 2025-26")).toHaveLength(0);
  });

  it("creates the plan with its priorities and partners, with the audit row, and lists it at /plans for those who take part", async () => {
    const fac = await who("facilitator");
    const made = await postRaw("/plans/new", fac, PLAN_FORM);
    expect(made.status).toBe(302);
    planId = decodeURIComponent(/^\/plans\/([^?]+)/.exec(made.location ?? "")![1]!);
    const plan = await one<{ period_start: string; period_end: string; kind: string }>("select * from plans where id = ?", planId);
    expect(plan).toMatchObject({ period_start: "2025-04-01", period_end: "2026-03-31", kind: "action_plan" });
    const ps = await query<{ id: string; code: string; theme: string | null }>(
      "select p.id, p.code, t.name as theme from plan_priorities pp join priorities p on p.id = pp.priority_id left join themes t on t.id = p.theme_id where pp.plan_id = ? order by pp.position",
      planId,
    );
    expect(ps.map((p) => p.code)).toEqual(["CT-1", "CT-2", "CT-3"]);
    expect(ps[0]!.theme).toBe("Cycle grouping");
    priorityIds = ps.map((p) => p.id);
    expect(await query("select organisation_id, role from plan_grants where plan_id = ? order by organisation_id", planId)).toEqual([
      { organisation_id: "bury-council", role: "editor" },
      { organisation_id: "nhs-bury-ccg", role: "editor" },
    ]);
    const audit = await one<{ actor_user_id: number; actor_organisation_id: string; detail: string; created_at: string }>(
      "select * from audit_log where event = 'plan.created' and subject = ?",
      planId,
    );
    expect(audit.actor_organisation_id).toBe("bury-council");
    expect(JSON.parse(audit.detail).to.priorities).toEqual(["CT-1 Healthy high streets", "CT-2 Warm homes", "CT-3 Skills for work"]);

    const list = async (w: keyof typeof ACCOUNTS) => (await fetch(`${server.url}/plans`, { headers: { Cookie: await who(w) } })).text();
    expect(await list("nhsEditor")).toContain("Cycle test plan 2025-26");
    expect(await list("collegeEditor")).not.toContain("Cycle test plan 2025-26");
    expect(await list("facilitator")).toContain("New action plan");
    expect(await list("nhsEditor")).not.toContain("New action plan");
    // Both kinds are listed.
    expect(await list("facilitator")).toContain("Engagement proposal");
  });
});

describe("priorities later", () => {
  it("adds, renames, reorders and retires, each with its history row; partner editors are refused", async () => {
    const fac = await who("facilitator");
    const path = `/plans/${planId}/settings`;
    expect((await postForm(server.url, path, await who("nhsEditor"), { intent: "add-priority", code: "CT-9", title: "Not allowed" })).status).toBe(403);
    const bad = await postForm(server.url, path, fac, { intent: "add-priority", code: "", title: "No code" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Give each priority a short code");
    expect((await postForm(server.url, path, fac, { intent: "add-priority", code: "CT-4", title: "Safer streets", grouping: "" })).status).toBe(200);
    expect((await postForm(server.url, path, fac, { intent: "add-priority", code: "ct-4", title: "Duplicate" })).status).toBe(409);
    const ct4 = (await one<{ id: string }>("select p.id from priorities p join plan_priorities pp on pp.priority_id = p.id where pp.plan_id = ? and p.code = 'CT-4'", planId)).id;
    expect((await postForm(server.url, path, fac, { intent: "rename-priority", priorityId: ct4, code: "CT-4", title: "Safer streets and parks", description: "", grouping: "" })).status).toBe(200);
    expect((await postForm(server.url, path, fac, { intent: "move-priority", priorityId: ct4, direction: "up" })).status).toBe(200);
    expect((await postForm(server.url, path, fac, { intent: "retire-priority", priorityId: ct4 })).status).toBe(200);
    const order = await query<{ code: string; retired_at: string | null }>(
      "select p.code, pp.retired_at from plan_priorities pp join priorities p on p.id = pp.priority_id where pp.plan_id = ? order by pp.position",
      planId,
    );
    expect(order.map((o) => o.code)).toEqual(["CT-1", "CT-2", "CT-4", "CT-3"]);
    expect(order[2]!.retired_at).not.toBeNull();
    const history = await query<{ event: string; actor_organisation_id: string; detail: string }>(
      "select event, actor_organisation_id, detail from audit_log where subject = ? and event like 'plan.priority.%' order by id",
      planId,
    );
    expect(history.map((h) => h.event)).toEqual(["plan.priority.added", "plan.priority.renamed", "plan.priority.moved", "plan.priority.retired"]);
    expect(JSON.parse(history[1]!.detail)).toMatchObject({ from: { title: "Safer streets" }, to: { title: "Safer streets and parks" } });
    expect(JSON.parse(history[2]!.detail)).toMatchObject({ from: 4, to: 3 });
    expect(history.every((h) => h.actor_organisation_id === "bury-council")).toBe(true);
    // No new actions under a retired priority; the page still shows it, marked.
    const retiredAction = await postForm(server.url, `/plans/${planId}`, await who("councilEditor"), { intent: "create-action", priorityId: ct4, title: "Under a retired priority" });
    expect(retiredAction.status).toBe(400);
    expect(retiredAction.text).toContain("That priority is retired");
    const settings = await (await fetch(`${server.url}${path}`, { headers: { Cookie: fac } })).text();
    expect(settings).toContain("retired a priority");
  });
});

let actions: Record<string, string> = {};

describe("actions, their titles and due dates", () => {
  it("an editor of each partner adds an action", async () => {
    const add = async (w: keyof typeof ACCOUNTS, priorityId: string, title: string, lead: string) =>
      postForm(server.url, `/plans/${planId}`, await who(w), { intent: "create-action", priorityId, title, leadOrganisationId: lead, dueLabel: "March 2026" });
    expect((await add("councilEditor", priorityIds[0]!, "Reopen empty shop units", "bury-council")).status).toBe(200);
    expect((await add("nhsEditor", priorityIds[1]!, "Cold homes health checks", "nhs-bury-ccg")).status).toBe(200);
    expect((await add("councilEditor", priorityIds[2]!, "Apprenticeship fair", "bury-council")).status).toBe(200);
    actions = Object.fromEntries((await query<{ id: string; title: string }>("select id, title from actions where plan_id = ?", planId)).map((a) => [a.title, a.id]));
    expect(Object.keys(actions)).toHaveLength(3);
  });

  it("a title change re-opens agreement as a change of words does, and is in the action's history", async () => {
    const id = actions["Reopen empty shop units"]!;
    const council = await who("councilEditor");
    // The council (the only partner) signs it off: agreed.
    const page = await (await fetch(`${server.url}/plans/${planId}`, { headers: { Cookie: council } })).text();
    const start = page.indexOf(`id="action-${id}"`);
    const fingerprint = /data-fingerprint="([0-9a-f]{64})"/.exec(page.slice(start))![1]!;
    expect((await postForm(server.url, `/plans/${planId}`, council, { intent: "sign-off", actionId: id, organisationId: "bury-council", fingerprint })).status).toBe(200);
    expect((await one<{ status: string }>("select status from agreement_state where subject_id = ?", id)).status).toBe("agreed");

    const path = `/plans/${planId}/actions/${id}`;
    // Bury College takes no part in this plan: the action does not exist for it.
    expect((await postForm(server.url, path, await who("collegeEditor"), { intent: "edit-details", title: "Outsider's title", dueLabel: "" })).status).toBe(404);
    const short = await postForm(server.url, path, council, { intent: "edit-details", title: "ab", dueLabel: "" });
    expect(short.status).toBe(400);
    expect(short.text).toContain("at least 3 characters");
    const edited = await postForm(server.url, path, council, { intent: "edit-details", title: "Reopen empty shop units in every township", dueLabel: "June 2026" });
    expect(edited.status).toBe(200);
    expect(edited.text).toContain("sign-off is open again");
    expect((await one<{ status: string }>("select status from agreement_state where subject_id = ?", id)).status).not.toBe("agreed");
    const trail = await one<{ from_status: string; cause: string; actor_organisation_id: string }>(
      "select from_status, cause, actor_organisation_id from agreement_history where subject_id = ? order by id desc limit 1",
      id,
    );
    expect(trail).toEqual({ from_status: "agreed", cause: "text_changed", actor_organisation_id: "bury-council" });
    const rows = await query<{ event: string; detail: string; actor_organisation_id: string }>("select event, detail, actor_organisation_id from audit_log where subject = ? order by id", id);
    expect(rows.map((r) => [r.event, JSON.parse(r.detail)])).toEqual([
      ["action.title.changed", { from: "Reopen empty shop units", to: "Reopen empty shop units in every township" }],
      ["action.due.changed", { from: "March 2026", to: "June 2026" }],
    ]);
    const actionPage = (await (await fetch(`${server.url}${path}`, { headers: { Cookie: council } })).text()).replace(/<!-- -->/g, "");
    expect(actionPage).toContain("changed the title from “Reopen empty shop units” to “Reopen empty shop units in every township”");
    actions["Reopen empty shop units in every township"] = id;
  });
});

describe("archive", () => {
  it("makes the plan read-only on every HTTP action and on the socket, at once; a facilitator unarchives it", async () => {
    const council = await who("councilEditor");
    const fac = await who("facilitator");
    const id = actions["Apprenticeship fair"]!;
    const docId = (await one<{ document_id: string }>("select document_id from actions where id = ?", id)).document_id;
    const client = connectClient(server.url, docId, council);
    await waitForSync(client);
    const readBefore = server.logs.filter((l) => l.msg === "sync access changed" && l.to === "read").length;

    expect((await postForm(server.url, `/plans/${planId}/settings`, council, { intent: "archive" })).status).toBe(403);
    expect((await postForm(server.url, `/plans/${planId}/settings`, fac, { intent: "archive" })).status).toBe(200);
    await eventually(() => server.logs.filter((l) => l.msg === "sync access changed" && l.to === "read").length, (n) => n === readBefore + 1);
    const blocked = `Typed into an archived plan ${Date.now()}`;
    replaceContent(client.doc, [blocked]);
    await eventually(() => server.logs.some((l) => l.msg === "dropped a document change from a read-only connection"), (seen) => seen);
    const stored = async () => {
      const doc = new Y.Doc();
      for (const r of await query<{ update: Buffer }>('select "update" from document_updates where document_id = ? order by id', docId)) Y.applyUpdate(doc, r.update);
      return readParagraphs(doc);
    };
    expect(await stored()).not.toContain(blocked);
    client.destroy();
    // A new connection is read-only from the start: its write is dropped too.
    const late = connectClient(server.url, docId, council);
    await waitForSync(late);
    replaceContent(late.doc, [`${blocked} again`]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await stored()).not.toContain(`${blocked} again`);
    late.destroy();

    const archived = "is archived, so it is read-only for everyone";
    const tries = [
      await postForm(server.url, `/plans/${planId}`, council, { intent: "create-action", priorityId: priorityIds[0]!, title: "Into the archive" }),
      await postForm(server.url, `/plans/${planId}/actions/${id}`, council, { intent: "edit-details", title: "Renamed in the archive", dueLabel: "" }),
      await postForm(server.url, `/plans/${planId}/actions/${id}`, council, { intent: "post-update", status: "on_track", reportedOn: "2025-09-01", narrative: "Going well", mitigation: "" }),
      await postForm(server.url, `/plans/${planId}`, council, { intent: "name-owner", actionId: id, organisationId: "nhs-bury-ccg", role: "support" }),
      await postForm(server.url, `/plans/${planId}/settings`, fac, { intent: "add-priority", code: "CT-8", title: "Into the archive" }),
      await postForm(server.url, `/plans/${planId}`, fac, { intent: "create-action", priorityId: priorityIds[0]!, title: "Facilitator into the archive" }),
    ];
    for (const t of tries) {
      expect(t.status).toBe(403);
      expect(t.text).toContain(archived);
    }
    expect(await query("select id from actions where title like '%archive%'")).toHaveLength(0);
    // Still readable and listed as archived.
    const page = await (await fetch(`${server.url}/plans/${planId}`, { headers: { Cookie: council } })).text();
    expect(page).toContain('data-testid="archived-note"');
    expect(page).not.toContain("Add an action");
    expect(await (await fetch(`${server.url}/plans`, { headers: { Cookie: council } })).text()).toMatch(/Archived<\/span>/);

    expect((await postForm(server.url, `/plans/${planId}/settings`, fac, { intent: "unarchive" })).status).toBe(200);
    expect((await query<{ event: string; detail: string }>("select event, detail from audit_log where subject = ? and event like 'plan.%archived' order by id", planId)).map((r) => [r.event, JSON.parse(r.detail)])).toEqual([
      ["plan.archived", { from: "current", to: "archived" }],
      ["plan.unarchived", { from: "archived", to: "current" }],
    ]);
    expect((await postForm(server.url, `/plans/${planId}/actions/${id}`, council, { intent: "edit-details", title: "Apprenticeship fair", dueLabel: "April 2026" })).status).toBe(200);
  });
});

describe("the next plan from this one", () => {
  it("carries the chosen unfinished actions with their text, links and open milestones, links both ways, and asks each partner again", async () => {
    const fac = await who("facilitator");
    const council = await who("councilEditor");
    const nhs = await who("nhsEditor");
    const kept = actions["Reopen empty shop units in every township"]!;
    const health = actions["Cold homes health checks"]!;
    const fair = actions["Apprenticeship fair"]!;
    const actionPath = (a: string) => `/plans/${planId}/actions/${a}`;
    expect((await postForm(server.url, actionPath(kept), council, { intent: "add-milestone", title: "Survey empty units", dueDate: "2025-06-30" })).status).toBe(200);
    expect((await postForm(server.url, actionPath(kept), council, { intent: "add-milestone", title: "Open five units", dueDate: "2026-06-30" })).status).toBe(200);
    const survey = (await one<{ id: string }>("select id from milestones where action_id = ? and title = 'Survey empty units'", kept)).id;
    expect((await postForm(server.url, actionPath(kept), council, { intent: "complete-milestone", milestoneId: survey, completedOn: "2025-06-20" })).status).toBe(200);
    expect((await postForm(server.url, actionPath(kept), council, { intent: "link", kind: "recommendation", targetId: (await one<{ id: string }>("select id from recommendations limit 1")).id })).status).toBe(200);

    // The council, which leads, asks the NHS to take over; the NHS has not answered when the year ends.
    const handOver = await postForm(server.url, `/plans/${planId}`, council, { intent: "name-owner", actionId: kept, organisationId: "nhs-bury-ccg", role: "lead" });
    expect(handOver.status).toBe(200);

    const form = (await (await fetch(`${server.url}/plans/${planId}/next`, { headers: { Cookie: fac } })).text()).replace(/<!-- -->/g, "");
    expect(form).toContain('value="2026-04-01"');
    expect(form).toContain("Bury Council (lead), NHS Bury CCG (asked to lead, pending)");
    expect(form).toContain("NHS Bury CCG&#x27;s request to take over as lead is not carried: the current lead is asked to lead the new plan&#x27;s action.");
    expect((await fetch(`${server.url}/plans/${planId}/next`, { headers: { Cookie: council } })).status).toBe(403);
    const ps = (await query<{ id: string; code: string; title: string; retired_at: string | null }>(
      "select p.id, p.code, p.title, pp.retired_at from plan_priorities pp join priorities p on p.id = pp.priority_id where pp.plan_id = ? order by pp.position",
      planId,
    )).filter((p) => !p.retired_at);
    const fields: [string, string][] = [
      ["title", "Cycle test plan 2026-27"],
      ["periodStart", "2026-04-01"],
      ["periodEnd", "2027-03-31"],
      ...ps.flatMap((p, i): [string, string][] => [
        [`priorities[${i}].code`, p.code],
        [`priorities[${i}].title`, i === 0 ? `${p.title} (year two)` : p.title],
        [`priorities[${i}].fromPriorityId`, p.id],
      ]),
      ["role:bury-council", "editor"],
      ["role:nhs-bury-ccg", "editor"],
      ["intent", "create"],
    ];
    const undecided = await postRaw(`/plans/${planId}/next`, fac, [...fields, [`carry:${kept}`, "carry"]]);
    expect(undecided.status).toBe(400);
    expect(undecided.text).toContain("Choose carry forward or leave behind for every unfinished action");
    expect((await postRaw(`/plans/${planId}/next`, council, [...fields, [`carry:${kept}`, "carry"], [`carry:${health}`, "carry"], [`carry:${fair}`, "leave"]])).status).toBe(403);
    const made = await postRaw(`/plans/${planId}/next`, fac, [...fields, [`carry:${kept}`, "carry"], [`carry:${health}`, "carry"], [`carry:${fair}`, "leave"]]);
    expect(made.status).toBe(302);
    const nextId = decodeURIComponent(/^\/plans\/([^?]+)/.exec(made.location ?? "")![1]!);
    expect((await one<{ previous_plan_id: string }>("select previous_plan_id from plans where id = ?", nextId)).previous_plan_id).toBe(planId);

    const carried = await query<{ id: string; title: string; carried_from_action_id: string; document_id: string; code: string }>(
      "select a.id, a.title, a.carried_from_action_id, a.document_id, p.code from actions a join priorities p on p.id = a.priority_id where a.plan_id = ? order by a.position",
      nextId,
    );
    expect(carried.map((c) => c.carried_from_action_id)).toEqual([kept, health]);
    expect(carried[0]!.title).toBe("Reopen empty shop units in every township");
    // Only the unfinished milestone came along; the recommendation link too.
    expect((await query<{ title: string }>("select title from milestones where action_id = ?", carried[0]!.id)).map((m) => m.title)).toEqual(["Open five units"]);
    expect(await query("select recommendation_id from action_recommendations where action_id = ?", carried[0]!.id)).toHaveLength(1);
    // Partners asked again, each in its own name, for the role it holds: the NHS's pending
    // hand-over is not carried (the new plan would ask two organisations to lead one action).
    expect(await query("select organisation_id, role, status from action_owners where action_id in (?, ?) order by organisation_id", carried[0]!.id, carried[1]!.id)).toEqual([
      { organisation_id: "bury-council", role: "lead", status: "pending" },
      { organisation_id: "nhs-bury-ccg", role: "lead", status: "pending" },
    ]);
    // Linked both ways.
    const newPage = await (await fetch(`${server.url}/plans/${nextId}/actions/${carried[0]!.id}`, { headers: { Cookie: council } })).text().then((t) => t.replace(/<!-- -->/g, ""));
    expect(newPage).toMatch(/Carried from 2025-26:/);
    const oldPage = await (await fetch(`${server.url}/plans/${planId}/actions/${kept}`, { headers: { Cookie: council } })).text().then((t) => t.replace(/<!-- -->/g, ""));
    expect(oldPage).toMatch(/Carried forward to 2026-27:/);

    // The NHS cannot answer for the council; the council accepts all of its requests in one click.
    const forOther = await postForm(server.url, `/plans/${nextId}/requests`, nhs, { intent: "accept-ownership", actionId: carried[0]!.id, organisationId: "bury-council" });
    expect(forOther.status).toBe(403);
    expect(forOther.text).toContain("Only an editor from Bury Council");
    const requests = (await (await fetch(`${server.url}/plans/${nextId}/requests`, { headers: { Cookie: council } })).text()).replace(/<!-- -->/g, "");
    expect(requests).toContain("Accept all 1 request for Bury Council");
    const all = await postForm(server.url, `/plans/${nextId}/requests`, council, { intent: "accept-all" });
    expect(all.status).toBe(200);
    expect(all.text).toContain("Bury Council accepted 1 request");
    expect((await postForm(server.url, `/plans/${nextId}/requests`, council, { intent: "accept-all" })).status).toBe(409);
    expect((await postForm(server.url, `/plans/${nextId}/requests`, nhs, { intent: "accept-all" })).status).toBe(200);
    expect(await query("select status from action_owners where action_id in (?, ?)", carried[0]!.id, carried[1]!.id)).toEqual([{ status: "accepted" }, { status: "accepted" }]);
    const history = await query<{ event: string; actor_organisation_id: string; organisation_id: string }>(
      "select event, actor_organisation_id, organisation_id from ownership_history where action_id = ? order by id",
      carried[0]!.id,
    );
    expect(history).toEqual([
      { event: "proposed", actor_organisation_id: "bury-council", organisation_id: "bury-council" },
      { event: "accepted", actor_organisation_id: "bury-council", organisation_id: "bury-council" },
    ]);
    expect((await query<{ event: string }>("select event from audit_log where subject = ? order by id", fair)).map((r) => r.event)).toContain("action.left_behind");
  });
});
