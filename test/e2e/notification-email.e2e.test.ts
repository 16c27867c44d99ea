/**
 * Issue 13 in Chromium: the account page's email choices and the unsubscribe page (reached from
 * an email's link, signed out) are axe clean; the dashboard's Waiting for you matches
 * Notifications; choosing "no email" on the account page is saved; the unsubscribe page's button
 * stops those emails without a session. CSP violations fail the test (test/helpers/browser.ts).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, login, postForm, startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser, axeViolations, signedInPage } from "../helpers/browser";
import { MAIL_ENV, sql } from "../helpers/people";
import { SmtpSink } from "../helpers/smtp-sink";

let app: AppServer;
let sink: SmtpSink;
let browser: Browser;

beforeAll(async () => {
  sink = await SmtpSink.start();
  app = await startAppServer({ env: MAIL_ENV(sink.url) });
  browser = await launchBrowser();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await sink?.close();
});

describe("email choices and unsubscribing, in Chromium", () => {
  it("the account page's email choices are axe clean and saved", async () => {
    const { context, page } = await signedInPage(browser, app.url, ACCOUNTS.vcfAllianceEditor);
    await page.goto(`${app.url}/account`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("group", { name: "Comments that mention your organisation" }).getByLabel("No email (in the workspace only)").check();
    await page.getByRole("button", { name: "Save email choices" }).click();
    await page.getByText("Your email choices have been saved.").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const [joanne] = await sql<{ id: number }>(app.dbFile, "select id from users where email = ?", ACCOUNTS.vcfAllianceEditor);
    expect(await sql(app.dbFile, "select delivery from notification_preferences where user_id = ? and kind = 'mention'", joanne!.id)).toEqual([{ delivery: "off" }]);

    // Waiting for you on the dashboard holds the same items as Notifications.
    await page.goto(`${app.url}/dashboard`);
    const onDashboard = await page.locator('[data-testid="waiting-for-you"] [data-inbox-key]').evaluateAll((els) => els.map((e) => e.getAttribute("data-inbox-key")));
    expect(onDashboard.length).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${app.url}/notifications`);
    const onNotifications = await page.locator('[data-testid="notifications-waiting"] [data-inbox-key]').evaluateAll((els) => els.map((e) => e.getAttribute("data-inbox-key")));
    expect(onNotifications.sort()).toEqual(onDashboard.sort());
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  }, 60_000);

  it("the unsubscribe page from an email works signed out, and is axe clean", async () => {
    const facilitator = await login(app.url, ACCOUNTS.facilitator);
    const [action] = await sql<{ id: string }>(
      app.dbFile,
      "select id from actions a where plan_id = 'let-s-do-it-partnership-action-plan-2026-27' and not exists (select 1 from action_owners o where o.action_id = a.id and o.organisation_id = 'bury-college') order by position limit 1",
    );
    expect((await postForm(app.url, "/dashboard", facilitator, { intent: "name-owner", actionId: action!.id, organisationId: "bury-college", role: "support" })).status).toBe(200);
    await sink.waitFor(() => sink.to(ACCOUNTS.collegeEditor).length === 1, "the request email");
    // The email's link, followed on the test server (the link names APP_ORIGIN).
    const link = /https:\/\/codesign\.bury\.example\/unsubscribe\?token=[A-Za-z0-9._-]+/.exec(sink.to(ACCOUNTS.collegeEditor)[0]!.text)![0];
    const url = new URL(link);

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.url}${url.pathname}${url.search}`);
    await page.getByRole("heading", { name: "Unsubscribe", level: 1 }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Stop these emails" }).click();
    await page.getByText("Done: you will not get emails about requests").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const [aisha] = await sql<{ id: number }>(app.dbFile, "select id from users where email = ?", ACCOUNTS.collegeEditor);
    expect(await sql(app.dbFile, "select kind, delivery from notification_preferences where user_id = ?", aisha!.id)).toEqual([{ kind: "ownership_request", delivery: "off" }]);
    await context.close();
  }, 60_000);
});
