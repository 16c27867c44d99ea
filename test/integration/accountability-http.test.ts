/**
 * Accountability through the real app (production build, own process, temp SQLite): who may post
 * progress updates, RAG rules changed on the settings page, the Word report's contents, the CSV
 * round trip and the refusal of a bad CSV.
 */
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { loadPlanDelivery } from "../../server/accountability/delivery";
import { RAG_LABEL } from "../../server/accountability/rag";
import { ACCOUNTS, type AppServer, login, openTestDatabase, PLAN_ID, postForm, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { sqlRows } from "../helpers/test-db";

let server: AppServer;
const cookies: Record<string, string> = {};
const cookie = async (who: keyof typeof ACCOUNTS) => (cookies[who] ??= await login(server.url, ACCOUNTS[who]));

beforeAll(async () => {
  server = await startAppServer();
  await reopenSeededPlan(server.url);
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

const query = <T>(sql: string, ...params: unknown[]): Promise<T[]> => sqlRows<T>(server.dbFile, sql, ...params);

const updatesOf = async (actionId: string) =>
  (await query<{ status: string; narrative: string; author_user_id: number; author_organisation_id: string }>(
    "select status, narrative, author_user_id, author_organisation_id from progress_updates where action_id = ? order by id",
    actionId,
  ));
const userId = async (email: string) => (await query<{ id: number }>("select id from users where email = ?", email))[0].id;

async function postUpdate(who: keyof typeof ACCOUNTS, planId: string, actionId: string, fields: Record<string, string> = {}) {
  return postForm(server.url, `/plans/${planId}/actions/${actionId}`, await cookie(who), {
    intent: "post-update",
    status: "on_track",
    reportedOn: "2022-09-15",
    narrative: `Update from ${who}: consultation events held in each township.`,
    mitigation: "",
    ...fields,
  });
}

const CORPORATE_PLAN = "corporate-plan-delivery-2022-23";
// FIN-3's first deliverable: Bury Council leads, NHS Bury CCG supports (accepted, from the Corporate Plan).
const SHARED_ACTION = "act-p-fin-3-1";

describe("progress updates: only the owning organisation or a facilitator (policy, through HTTP)", () => {
  it("lets the accepted lead and supporting partner post, authored from the session", async () => {
    const lead = await postUpdate("councilEditor", CORPORATE_PLAN, SHARED_ACTION);
    expect(lead.status).toBe(200);
    // Forged author fields are ignored: the author is whoever the session says.
    const support = await postUpdate("nhsEditor", CORPORATE_PLAN, SHARED_ACTION, {
      status: "at_risk",
      mitigation: "Escalated to the ICS transition board; revised date agreed for October.",
      authorUserId: String(await userId(ACCOUNTS.facilitator)),
      authorOrganisationId: "bury-council",
    });
    expect(support.status).toBe(200);
    expect(await updatesOf(SHARED_ACTION)).toEqual([
      expect.objectContaining({ status: "on_track", author_user_id: await userId(ACCOUNTS.councilEditor), author_organisation_id: "bury-council" }),
      expect.objectContaining({ status: "at_risk", author_user_id: await userId(ACCOUNTS.nhsEditor), author_organisation_id: "nhs-bury-ccg" }),
    ]);
  });

  it("refuses an editor of a partner not named on the action, and a partner only asked (pending)", async () => {
    const before = (await updatesOf(SHARED_ACTION)).length;
    const outsider = await postUpdate("collegeEditor", CORPORATE_PLAN, SHARED_ACTION);
    expect(outsider.status).toBe(403);
    expect(outsider.text).toContain("Only the lead or a supporting partner of this action");

    // The council asks Bury College to support: pending until the college accepts.
    const asked = await postForm(server.url, `/plans/${CORPORATE_PLAN}`, await cookie("councilEditor"), {
      intent: "name-owner",
      actionId: SHARED_ACTION,
      organisationId: "bury-college",
      role: "support",
    });
    expect(asked.status).toBe(200);
    expect((await postUpdate("collegeEditor", CORPORATE_PLAN, SHARED_ACTION)).status).toBe(403);
    expect(await updatesOf(SHARED_ACTION)).toHaveLength(before);

    // Once the college accepts, it owns a part of the action and may report on it.
    const accepted = await postForm(server.url, `/plans/${CORPORATE_PLAN}`, await cookie("collegeEditor"), {
      intent: "accept-ownership",
      actionId: SHARED_ACTION,
      organisationId: "bury-college",
    });
    expect(accepted.status).toBe(200);
    expect((await postUpdate("collegeEditor", CORPORATE_PLAN, SHARED_ACTION)).status).toBe(200);
    expect((await updatesOf(SHARED_ACTION)).at(-1)).toMatchObject({ author_organisation_id: "bury-college" });
  });

  it("refuses a viewer of the owning organisation, and lets a facilitator post on any action", async () => {
    const before = (await updatesOf("act-p-bgi-1-1")).length;
    // Margaret is in Bury Council (the lead) but her own grant makes her a viewer.
    expect((await postUpdate("viewer", PLAN_ID, "act-p-bgi-1-1")).status).toBe(403);
    expect((await postUpdate("nhsEditor", PLAN_ID, "act-p-bgi-1-1")).status).toBe(403);
    expect(await updatesOf("act-p-bgi-1-1")).toHaveLength(before);
    expect((await postUpdate("facilitator", PLAN_ID, "act-p-bgi-1-1")).status).toBe(200);
    expect(await updatesOf("act-p-bgi-1-1")).toHaveLength(before + 1);
  });

  it("asks for mitigation when slipping and refuses a future date, with messages a person can act on", async () => {
    const noMitigation = await postUpdate("councilEditor", PLAN_ID, "act-p-bgi-1-1", { status: "off_track", mitigation: "" });
    expect(noMitigation.status).toBe(400);
    expect(noMitigation.text).toContain("needs its mitigation");
    const future = await postUpdate("councilEditor", PLAN_ID, "act-p-bgi-1-1", { reportedOn: "2999-01-01" });
    expect(future.status).toBe(400);
    expect(future.text).toContain("cannot be dated in the future");
  });

  it("keeps updates: the database refuses to change or delete one", async () => {
    await expect(query("update progress_updates set narrative = 'rewritten'")).rejects.toThrow(/append-only/);
    await expect(query("delete from progress_updates")).rejects.toThrow(/append-only/);
  });
});

describe("RAG rules set on the settings page apply at once", () => {
  const statusOnBoard = async (actionId: string, asAt: string) => {
    const res = await fetch(`${server.url}/plans/${PLAN_ID}/board?asAt=${asAt}`, { headers: { Cookie: await cookie("nhsEditor") } });
    const html = await res.text();
    return new RegExp(`<tr data-action-id="${actionId}" data-rag="(\\w+)"`).exec(html)?.[1];
  };

  it("changes the board's status when a facilitator changes a threshold, and only a facilitator can", async () => {
    // act-p-bgi-1-2 is due 30 Sep 2022: on 20 Oct it is 20 days overdue, more than the default 14.
    expect(await statusOnBoard("act-p-bgi-1-2", "2022-10-20")).toBe("red");
    const member = await postForm(server.url, "/rag-rules", await cookie("councilEditor"), {
      intent: "update-rule", ruleId: "rule-overdue-red", colour: "red", kind: "milestone_overdue", days: "30", enabled: "on",
    });
    expect(member.status).toBe(403);
    expect(await statusOnBoard("act-p-bgi-1-2", "2022-10-20")).toBe("red");

    const changed = await postForm(server.url, "/rag-rules", await cookie("facilitator"), {
      intent: "update-rule", ruleId: "rule-overdue-red", colour: "red", kind: "milestone_overdue", days: "30", enabled: "on",
    });
    expect(changed.status).toBe(200);
    expect(await statusOnBoard("act-p-bgi-1-2", "2022-10-20")).toBe("amber");
    expect(await statusOnBoard("act-p-bgi-1-2", "2022-10-31")).toBe("red"); // 31 days: more than 30

    const restored = await postForm(server.url, "/rag-rules", await cookie("facilitator"), {
      intent: "update-rule", ruleId: "rule-overdue-red", colour: "red", kind: "milestone_overdue", days: "14", enabled: "on",
    });
    expect(restored.status).toBe(200);
    expect(await statusOnBoard("act-p-bgi-1-2", "2022-10-20")).toBe("red");
    expect(await query("select event from audit_log where subject = 'rule-overdue-red'")).toHaveLength(2);
  });
});

/** Paragraph texts of a .docx's main document, in order. */
async function docxParagraphs(bytes: ArrayBuffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file("word/document.xml")!.async("string");
  const unescape = (s: string) =>
    s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
    [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescape(t[1])).join(""),
  );
}

describe("the Word report", () => {
  it("opens, and holds every action's title, owners and RAG status", async () => {
    const asAt = "2022-10-20";
    const res = await fetch(`${server.url}/plans/${PLAN_ID}/report.docx?asAt=${asAt}`, { headers: { Cookie: await cookie("viewer") } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("wordprocessingml");
    const lines = await docxParagraphs(await res.arrayBuffer());
    expect(lines[lines.indexOf("Status as at") + 1]).toBe("20 Oct 2022");

    const { db } = openTestDatabase(server.dbFile);
    const delivery = await loadPlanDelivery(db, PLAN_ID, asAt);
    await db.destroy();
    expect(delivery.actions.length).toBeGreaterThan(50);
    expect(new Set(delivery.actions.map((a) => a.rag.status)).size).toBeGreaterThan(1);

    // Each action's block: from its title to the next action's title, in plan order.
    let at = lines.lastIndexOf("Appendix A. Every action by priority");
    expect(at).toBeGreaterThan(0);
    const ordered = delivery.priorities.flatMap((p) => p.actions);
    const starts = ordered.map((a) => {
      at = lines.findIndex((l, i) => i > at && /^A\.\d+ /.test(l) && l.slice(l.indexOf(" ") + 1) === a.title);
      return at;
    });
    ordered.forEach((a, i) => {
      expect(starts[i], `title of ${a.id}`).toBeGreaterThan(0);
      const block = lines.slice(starts[i], starts[i + 1] ?? lines.length).join("\n");
      expect(block, a.id).toContain(`Status:  ${RAG_LABEL[a.rag.status]} `);
      expect(block, a.id).toContain(`Owners: ${a.lead ? `${a.lead.name} (lead` : "No lead partner"}`);
      for (const s of a.supporting) expect(block, a.id).toContain(s.name);
    });
  });
});

const IMPORTED_COLUMNS = ["Priority code", "Priority", "Action", "Description", "Lead partner", "Supporting partners", "Due", "Milestones", "KPIs", "Recommendations"];

async function exportCsv(planId: string) {
  const res = await fetch(`${server.url}/plans/${planId}/actions.csv`, { headers: { Cookie: await cookie("facilitator") } });
  expect(res.status).toBe(200);
  const text = await res.text();
  const rows = parse(text, { columns: true, bom: true }) as Record<string, string>[];
  return { text, rows: rows.map((r) => Object.fromEntries(IMPORTED_COLUMNS.map((c) => [c, r[c]]))) };
}

async function importCsv(planId: string, csv: string, who: keyof typeof ACCOUNTS = "facilitator") {
  const form = new FormData();
  form.set("intent", "import-csv");
  form.set("file", new Blob([csv], { type: "text/csv" }), "actions.csv");
  const res = await fetch(`${server.url}/plans/${planId}/reports`, { method: "POST", headers: { Cookie: await cookie(who), Origin: server.origin }, body: form });
  return { status: res.status, html: await res.text() };
}

/** An empty plan under the same priorities, with the same partners: the round trip's destination. */
async function createEmptyPlan(id: string, from: string) {
  const now = new Date().toISOString();
  await query("insert into plans (id, title, summary, strategy_id, status, created_at) select ?, 'Round trip copy', '', strategy_id, 'draft', ? from plans where id = ?", id, now, from);
  await query("insert into plan_priorities (plan_id, priority_id, position) select ?, priority_id, position from plan_priorities where plan_id = ?", id, from);
  await query("insert into plan_grants (plan_id, organisation_id, user_id, role, created_at) select ?, organisation_id, user_id, role, ? from plan_grants where plan_id = ?", id, now, from);
}

describe("CSV export and import", () => {
  it("round-trips: the actions imported from an export export again the same", async () => {
    // Give the source some of everything the file carries.
    const source = "act-p-ops-2-1";
    const facilitator = await cookie("facilitator");
    const steps: Record<string, string>[] = [
      { intent: "link", kind: "kpi", targetId: "kpi-ops-6" },
      { intent: "link", kind: "recommendation", targetId: "cpc-2021-2-6" },
      { intent: "add-milestone", title: "Community Climate Action Funding distributed, part two", dueDate: "2022-08-31" },
    ];
    for (const fields of steps) {
      expect((await postForm(server.url, `/plans/${PLAN_ID}/actions/${source}`, facilitator, fields)).status).toBe(200);
    }
    const ms = (await query<{ id: string }>("select id from milestones where action_id = ? order by position", source))[0];
    expect(
      (await postForm(server.url, `/plans/${PLAN_ID}/actions/${source}`, facilitator, { intent: "complete-milestone", milestoneId: ms.id, completedOn: "2022-06-28" })).status,
    ).toBe(200);

    const exported = await exportCsv(PLAN_ID);
    const [{ title }] = await query<{ title: string }>("select title from actions where id = ?", source);
    expect(exported.rows.find((r) => r.Action === title)).toMatchObject({
      KPIs: "OPS-K6",
      Recommendations: "2.6",
      "Lead partner": "Bury Council",
      "Supporting partners": "Bury Voluntary, Community and Faith Alliance",
      Milestones: "2022-06-30 Q1 2022-23 deliverable complete [done 2022-06-28]\n2022-08-31 Community Climate Action Funding distributed, part two",
    });

    await createEmptyPlan("round-trip-copy", PLAN_ID);
    const imported = await importCsv("round-trip-copy", exported.text);
    expect(imported.status).toBe(200);
    expect(imported.html).toContain(`Imported ${exported.rows.length} actions.`);

    const again = await exportCsv("round-trip-copy");
    expect(again.rows).toEqual(exported.rows);
  });

  it("imports nothing from a file with bad rows, and names each with its line and reason", async () => {
    const count = async () => (await query<{ n: number }>("select count(*) n from actions where plan_id = ?", PLAN_ID))[0].n;
    const before = await count();
    const csv = [
      "Priority code,Action,Lead partner,Supporting partners,Milestones",
      "BGI-1,Traders' forum set up,Bury Council,,2022-11-30 First forum meeting", // line 2: good
      'BGI-1,"Market stall pilot",Bury Foodbank,,', // line 3: unknown organisation
      "BGI-4,,Bury Council,,", // line 4: missing title
      'OPS-2,EV charging audit,Bury Council,"NHS Bury CCG","2022-13-01 Audit complete"', // line 5: bad date
    ].join("\n");
    const result = await importCsv(PLAN_ID, csv, "councilEditor");
    expect(result.status).toBe(400);
    expect(result.html).toContain("Nothing was imported: 3 rows have problems.");
    const rows = [...result.html.matchAll(/<tr data-line="(\d+)">([\s\S]*?)<\/tr>/g)].map((m) => ({ line: Number(m[1]), text: m[2].replace(/<[^>]+>/g, " ") }));
    expect(rows.map((r) => r.line)).toEqual([3, 4, 5]);
    expect(rows[0].text).toMatch(/Unknown organisation “Bury Foodbank” in “Lead partner”/);
    expect(rows[1].text).toMatch(/The action has no title/);
    expect(rows[2].text).toMatch(/2022-13-01 is not a real date/);
    expect(await count()).toBe(before);
    expect(await query("select * from actions where title = ?", "Traders' forum set up")).toHaveLength(0);
  });
});

describe("search", () => {
  it("finds actions, progress updates and recommendations the person may see", async () => {
    const res = await fetch(`${server.url}/search?q=${encodeURIComponent("township consultation")}`, { headers: { Cookie: await cookie("nhsEditor") } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain(`/plans/${CORPORATE_PLAN}/actions/${SHARED_ACTION}#update-`);
    const recs = await (await fetch(`${server.url}/search?q=hold+each+other+account&kind=recommendation`, { headers: { Cookie: await cookie("nhsEditor") } })).text();
    expect(recs).toContain("/recommendations/cpc-2018-10");
    expect(recs).not.toContain(`/plans/${PLAN_ID}"`);
  });
});

describe("traceability", () => {
  it("leads from a recommendation to the actions serving it, their updates and reports, and back", async () => {
    // act-p-ops-2-1 was linked to recommendation 2.6 above; its owner reports on it, a facilitator records a report.
    expect((await postUpdate("councilEditor", PLAN_ID, "act-p-ops-2-1", { narrative: "Community Climate Action Funding fully distributed to 14 groups." })).status).toBe(200);
    const recorded = await postForm(server.url, `/plans/${PLAN_ID}/reports`, await cookie("facilitator"), { intent: "record-report", title: "Q2 2022-23 partnership board", asAt: "2022-09-30" });
    expect(recorded.status).toBe(200);
    const res = await fetch(`${server.url}/recommendations/cpc-2021-2-6`, { headers: { Cookie: await cookie("vcfCommenter") } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain("OPS-2");
    expect(html).toContain(`/plans/${PLAN_ID}/actions/act-p-ops-2-1`);
    expect(html).toContain("Community Climate Action Funding fully distributed to 14 groups.");
    expect(html).toContain("Q2 2022-23 partnership board");
    const back = await (await fetch(`${server.url}/plans/${PLAN_ID}/actions/act-p-ops-2-1`, { headers: { Cookie: await cookie("vcfCommenter") } })).text();
    expect(back).toContain('href="/recommendations/cpc-2021-2-6"');
  });
});
