/**
 * What a person sees when the server restarts under them (hardening 17): the page says the
 * server is restarting and that their changes are saved, in words from the server's close
 * reason, instead of a bare "connection lost".
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type AppServer, PLAN_ID, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { launchBrowser, signedInPage } from "../helpers/browser";

const ACTION_ID = "act-p-bgi-1-2";

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

describe("a server restart, seen from the page", () => {
  it("shows that the server is restarting and the changes are saved", async () => {
    const { context, page } = await signedInPage(browser, server.url, ACCOUNTS.councilEditor);
    await page.goto(`${server.url}/plans/${PLAN_ID}`);
    await page.locator(`#action-${ACTION_ID}`).scrollIntoViewIfNeeded();
    const status = page.locator("[data-connection]");
    await expect.poll(() => status.getAttribute("data-connection"), { timeout: 15_000 }).toBe("live");

    await server.stop();
    await expect.poll(() => status.getAttribute("data-connection"), { timeout: 10_000 }).toBe("reconnecting");
    const text = await status.innerText();
    expect(text).toMatch(/server is restarting/i);
    expect(text).toMatch(/changes are saved/i);
    await page.screenshot({ path: "/tmp/issue-6/restart-message.png" }).catch(() => undefined);
    await context.close();
  }, 60_000);
});
