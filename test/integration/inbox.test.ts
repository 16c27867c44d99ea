/**
 * One inbox (issue 13): the dashboard's "Waiting for you" and the Notifications page show the same
 * items, from one domain function. The first three cases are the disagreements partners found:
 * a power-sharing request the dashboard did not show, an ownership request Notifications did not
 * show, and a hidden comment whose author was never told.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, login, postForm, startAppServer, type AppServer } from "../helpers/app-server";
import { get, sql } from "../helpers/people";

const NEXT_PLAN = "let-s-do-it-partnership-action-plan-2026-27";
const PROPOSAL = "community-engagement-strategy";

let server: AppServer;
const cookies = {} as Record<keyof typeof ACCOUNTS, string>;

beforeAll(async () => {
  server = await startAppServer();
  for (const key of Object.keys(ACCOUNTS) as (keyof typeof ACCOUNTS)[]) cookies[key] = await login(server.url, ACCOUNTS[key]);
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

/** The inbox keys listed inside the element with this test id (each item carries data-inbox-key). */
function keysIn(html: string, testId: string): string[] {
  const start = html.indexOf(`data-testid="${testId}"`);
  if (start < 0) return [];
  const end = html.indexOf("</ul>", start);
  return [...html.slice(start, end < 0 ? undefined : end).matchAll(/data-inbox-key="([^"]+)"/g)].map((m) => m[1]!).sort();
}

async function waiting(who: keyof typeof ACCOUNTS) {
  const dashboard = await get(`${server.url}/dashboard`, cookies[who]);
  expect(dashboard.status).toBe(200);
  const notifications = await get(`${server.url}/notifications`, cookies[who]);
  expect(notifications.status).toBe(200);
  return {
    dashboard: keysIn(dashboard.text, "waiting-for-you"),
    notifications: keysIn(notifications.text, "notifications-waiting"),
    notificationsAll: [...keysIn(notifications.text, "notifications-waiting"), ...keysIn(notifications.text, "notifications-earlier")],
    dashboardHtml: dashboard.text,
    notificationsHtml: notifications.text,
  };
}

async function actionWithout(planId: string, organisationId: string): Promise<string> {
  const [row] = await sql<{ id: string }>(
    server.dbFile,
    "select id from actions a where plan_id = ? and not exists (select 1 from action_owners o where o.action_id = a.id and o.organisation_id = ?) order by position limit 1",
    planId,
    organisationId,
  );
  return row!.id;
}

describe("one inbox: Waiting for you and Notifications show the same items", () => {
  it("a power-sharing request waiting for the VCF Alliance is on its dashboard, not 'Nothing to answer'", async () => {
    const w = await waiting("vcfAllianceEditor");
    const key = "power-sharing:act-ces-co-design-with-vcf:do:bury-vcf-alliance";
    expect(w.dashboard, `dashboard keys: ${w.dashboard.join(", ")}`).toContain(key);
    expect(w.dashboard).toEqual(w.notifications);
    expect(w.dashboardHtml).not.toContain("Nothing to answer");
    // It links to the place to answer it.
    expect(w.dashboardHtml).toContain(`href="/proposals/${PROPOSAL}`);
  });

  it("an ownership request for NHS Bury CCG is in Notifications as well as on the dashboard; answering removes it from both", async () => {
    const actionId = await actionWithout(NEXT_PLAN, "nhs-bury-ccg");
    const named = await postForm(server.url, "/dashboard", cookies.facilitator, { intent: "name-owner", actionId, organisationId: "nhs-bury-ccg", role: "support" });
    expect(named.status, named.text.slice(0, 300)).toBe(200);
    const key = `ownership:${actionId}:nhs-bury-ccg:support`;
    const before = await waiting("nhsEditor");
    expect(before.dashboard).toContain(key);
    expect(before.notifications).toContain(key);
    expect(before.dashboard).toEqual(before.notifications);

    const answered = await postForm(server.url, "/dashboard", cookies.nhsEditor, { intent: "accept-ownership", actionId, organisationId: "nhs-bury-ccg" });
    expect(answered.status, answered.text.slice(0, 300)).toBe(200);
    const after = await waiting("nhsEditor");
    expect(after.dashboard).not.toContain(key);
    expect(after.notifications).not.toContain(key);
  });

  it("a request to an organisation leaves everyone's Waiting for you once any entitled person answers it", async () => {
    const actionId = await actionWithout(NEXT_PLAN, "six-town-housing");
    expect((await postForm(server.url, "/dashboard", cookies.nhsEditor, { intent: "name-owner", actionId, organisationId: "six-town-housing", role: "support" })).status).toBe(200);
    const key = `ownership:${actionId}:six-town-housing:support`;
    expect((await waiting("housingEditor")).dashboard).toContain(key);
    // The facilitator (Bury Council) cannot answer for Six Town Housing, and is not asked.
    expect((await waiting("facilitator")).dashboard).not.toContain(key);
    expect((await postForm(server.url, "/dashboard", cookies.housingEditor, { intent: "decline-ownership", actionId, organisationId: "six-town-housing" })).status).toBe(200);
    expect((await waiting("housingEditor")).dashboard).not.toContain(key);
  });

  it("hiding a comment tells its author, with the reason; reading it takes it out of Waiting for you", async () => {
    const quote = "Being clear about expectations";
    const page = `/proposals/${PROPOSAL}`;
    const started = await postForm(server.url, page, cookies.vcfCommenter, {
      intent: "start-thread",
      documentId: `doc-${PROPOSAL}-overview`,
      quote,
      body: "Off-topic words for the inbox test.",
    });
    expect(started.status, started.text.slice(0, 300)).toBe(200);
    const [comment] = await sql<{ id: number }>(server.dbFile, "select id from comments where body = ?", "Off-topic words for the inbox test.");
    const hidden = await postForm(server.url, page, cookies.facilitator, { intent: "hide-comment", commentId: String(comment!.id), reason: "Please keep to the proposal" });
    expect(hidden.status).toBe(200);

    const w = await waiting("vcfCommenter");
    const [n] = await sql<{ id: number }>(server.dbFile, "select n.id from notifications n join users u on u.id = n.user_id where u.email = ? and n.kind = 'comment_hidden' and n.comment_id = ?", ACCOUNTS.vcfCommenter, comment!.id);
    expect(n, "a notification row for the author").toBeDefined();
    const key = `notification:${n!.id}`;
    expect(w.dashboard).toContain(key);
    expect(w.notifications).toContain(key);
    expect(w.notificationsHtml).toContain("Please keep to the proposal");
    expect(w.dashboard).toEqual(w.notifications);

    const opened = await postForm(server.url, "/notifications", cookies.vcfCommenter, { intent: "open", notificationId: String(n!.id) });
    expect(opened.status).toBe(302);
    const after = await waiting("vcfCommenter");
    expect(after.dashboard).not.toContain(key);
    expect(after.notificationsAll).toContain(key);
  });

  it("for every demo person, the dashboard's Waiting for you equals the waiting part of Notifications", async () => {
    for (const who of Object.keys(ACCOUNTS) as (keyof typeof ACCOUNTS)[]) {
      const w = await waiting(who);
      expect(w.dashboard, who).toEqual(w.notifications);
    }
  });
});
