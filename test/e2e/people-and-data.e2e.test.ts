/**
 * Issue 13 in Chromium, the local demo (no SMTP, so emails wait in the outbox): an administrator
 * invites a person; the invitation's link, read from /admin/outbox, lets the person choose a
 * password and land on their dashboard; the account page offers their data; /welcome,
 * /forgot-password, /account, /account/data, /admin/outbox and the erase page are axe clean. CSP
 * violations fail the test (test/helpers/browser.ts).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser, axeViolations, signedInPage } from "../helpers/browser";

let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  app = await startAppServer();
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const NEW_PERSON = { name: "Nadia Invited", email: "nadia.invited@bury-council.example", password: "kettle lantern orchard seventeen" };

describe("an invited person in a browser", () => {
  it("follows the link from the outbox, sets a password and lands on the dashboard; every page on the way is axe clean", async () => {
    const { context: adminContext, page: admin } = await signedInPage(browser, app.url, ACCOUNTS.admin);
    adminContext.setDefaultTimeout(10_000);
    await admin.goto(`${app.url}/admin`);
    const invite = admin.getByRole("region", { name: "Invite a person" });
    await invite.getByLabel("Name", { exact: true }).fill(NEW_PERSON.name);
    await invite.getByLabel("Email", { exact: true }).fill(NEW_PERSON.email);
    await admin.locator("#user-org").selectOption("bury-council");
    await admin.getByRole("button", { name: "Send invitation" }).click();
    await expect(admin.getByRole("status").textContent()).resolves.toContain(`Invitation written for ${NEW_PERSON.name}`);

    await admin.goto(`${app.url}/admin/outbox`);
    expect(await axeViolations(admin)).toEqual([]);
    const message = admin.getByRole("row").filter({ hasText: NEW_PERSON.email }).getByRole("link");
    await admin.goto(new URL((await message.getAttribute("href"))!, app.url).href);
    await expect(admin.getByRole("heading", { level: 1 }).textContent()).resolves.toContain("invited");
    expect(await axeViolations(admin)).toEqual([]);
    const link = await admin.locator('a[href*="/welcome?token="]').first().getAttribute("href");
    expect(link).toMatch(/\/welcome\?token=[A-Za-z0-9_-]+$/);

    // The invitee, in a browser of their own.
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(link!);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(`Welcome, ${NEW_PERSON.name}`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("New password", { exact: true }).fill(NEW_PERSON.password);
    await page.getByLabel("Type the new password again").fill(NEW_PERSON.password);
    await Promise.all([page.waitForURL(/\/dashboard/), page.getByRole("button", { name: "Set password and sign in" }).click()]);
    await expect(page.getByText(NEW_PERSON.name).first().isVisible()).resolves.toBe(true);
    // What waits for them (their organisation's asks: Bury Council has sign-offs to give) is the
    // same on the dashboard and in Notifications.
    const waitingOn = async (path: string) => {
      await page.goto(`${app.url}${path}`);
      return page.locator('section[aria-labelledby="waiting-title"] [data-inbox-key]').evaluateAll((items) => items.map((i) => i.getAttribute("data-inbox-key")).sort());
    };
    const onDashboard = await waitingOn("/dashboard");
    expect(onDashboard.length).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(await waitingOn("/notifications")).toEqual(onDashboard);
    expect(await axeViolations(page)).toEqual([]);

    // Their account page, and their data.
    await page.goto(`${app.url}/account`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Your account");
    await expect(page.locator("dd").filter({ hasText: NEW_PERSON.email }).count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/account\/data$/), page.getByRole("link", { name: "Read your data on a page" }).click()]);
    await expect(page.getByRole("heading", { name: "Profile" }).isVisible()).resolves.toBe(true);
    await expect(page.getByText(NEW_PERSON.email).first().isVisible()).resolves.toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "download it as a JSON file" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^co-design-workspace-my-data-\d{4}-\d{2}-\d{2}\.json$/);
    await context.close();

    // The erase page (its confirm step), seen by the administrator, not used here.
    await admin.goto(`${app.url}/admin`);
    await Promise.all([admin.waitForURL(/\/admin\/people\/\d+\/erase$/), admin.getByRole("link", { name: `Erase ${NEW_PERSON.name}'s data` }).click()]);
    await expect(admin.getByRole("checkbox", { name: `I want to erase ${NEW_PERSON.name}'s personal data` }).isVisible()).resolves.toBe(true);
    expect(await axeViolations(admin)).toEqual([]);
    await adminContext.close();
  }, 90_000);

  it("/forgot-password is axe clean", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.url}/forgot-password`);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
