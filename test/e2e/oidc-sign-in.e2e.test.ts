/**
 * Issue 13 in Chromium: the "Sign in with Bury Council's Microsoft account" button on /login takes
 * the browser to a real OpenID provider (oidc-provider, in this process) and back, signed in; the
 * admin page, the sign-in page and a refusal page are axe clean. CSP violations fail the test
 * (test/helpers/browser.ts).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, login, postForm, startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser, axeViolations, signedInPage } from "../helpers/browser";
import { startTestIdp, type TestIdp } from "../helpers/oidc-idp";

const TENANT = "3f6d2c1a-7b8e-4c9d-a0b1-c2d3e4f5a6b7";
let app: AppServer;
let idp: TestIdp;
let browser: Browser;

beforeAll(async () => {
  app = await startAppServer({ env: { OIDC_ALLOW_HTTP_LOOPBACK: "true" } });
  idp = await startTestIdp({
    clients: [{ client_id: "cdw", client_secret: "e2e-secret-value", redirect_uris: [`${app.origin}/auth/oidc/callback`] }],
  });
  idp.accounts.set("helen", { email: ACCOUNTS.facilitator, email_verified: true, tid: TENANT });
  idp.accounts.set("stranger", { email: "stranger@elsewhere.example", email_verified: true, tid: TENANT });
  const saved = await postForm(app.url, "/admin/sign-in", await login(app.url, ACCOUNTS.admin), {
    intent: "configure",
    organisationId: "bury-council",
    issuer: idp.issuer,
    tenantId: TENANT,
    clientId: "cdw",
    clientSecret: "e2e-secret-value",
    emailDomains: "bury-council.example",
  });
  expect(saved.status, saved.text).toBe(200);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await idp?.close();
});

describe("Microsoft account sign-in in a browser", () => {
  it("signs in through the provider from the /login button", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.url}/login`);
    expect(await axeViolations(page)).toEqual([]);
    idp.nextLogin = "helen";
    await Promise.all([
      page.waitForURL(/\/dashboard/),
      page.getByRole("link", { name: "Sign in with Bury Council's Microsoft account" }).click(),
    ]);
    await expect(page.getByText("Helen Ashworth").first().isVisible()).resolves.toBe(true);
    await context.close();
  });

  it("shows a refusal as a page with a sentence, axe clean", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.url}/login`);
    idp.nextLogin = "stranger";
    await Promise.all([
      page.waitForURL(/\/auth\/oidc\/callback/),
      page.getByRole("link", { name: "Sign in with Bury Council's Microsoft account" }).click(),
    ]);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("is not an address of Bury Council");
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it("the admin page is axe clean and never shows the secret", async () => {
    const { context, page } = await signedInPage(browser, app.url, ACCOUNTS.admin);
    await page.goto(`${app.url}/admin/sign-in`);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.content()).not.toContain("e2e-secret-value");
    await context.close();
  });
});
