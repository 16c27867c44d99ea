/**
 * The Content-Security-Policy in a real browser: the pages, the live editor and its sync socket
 * work under it with no violation (the helper fails any test on a reported violation), and an
 * injected inline script or event handler does not run.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type AppServer, PLAN_ID, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { launchBrowser, signedInPage, takeViolations } from "../helpers/browser";

let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  server = await startAppServer();
  await reopenSeededPlan(server.url);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the Content-Security-Policy in Chromium", () => {
  it("lets the plan page, its live editor and the board work without a violation", async () => {
    const { context, page } = await signedInPage(browser, server.url, ACCOUNTS.councilEditor);
    await page.goto(`${server.url}/plans/${PLAN_ID}`);
    await expect.poll(() => page.locator("[contenteditable][data-doc-id]").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.goto(`${server.url}/plans/${PLAN_ID}/board`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    // A client-side navigation (Remix's fetch of route data and modules) under the policy too.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await page.waitForURL(/\/dashboard/);
    await context.close();
  }, 60_000);

  it("refuses an injected inline script and inline event handler, and reports them", async () => {
    const { context, page } = await signedInPage(browser, server.url, ACCOUNTS.viewer);
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__injected = 'script ran'";
      document.body.append(script);
      document.body.insertAdjacentHTML("beforeend", `<img src="/favicon.svg" onload="window.__handler = 'handler ran'">`);
    });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as Record<string, unknown>).__injected ?? null)).toBeNull();
    expect(await page.evaluate(() => (window as unknown as Record<string, unknown>).__handler ?? null)).toBeNull();
    const reported = takeViolations();
    expect(reported.some((v) => /script-src/.test(v))).toBe(true);
    expect(reported.some((v) => /script-src-attr|event handler/i.test(v))).toBe(true);
    await context.close();
  }, 60_000);
});
