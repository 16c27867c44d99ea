import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, DEMO_PASSWORD, PLAN_ID, startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser, axeViolations, signedInPage } from "../helpers/browser";

/**
 * Issue 14: the 80-action plan opens on its priorities and one priority's actions; filters live
 * in the address and work with and without JavaScript; links to a card land on it.
 */
let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  server = await startAppServer();
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const planUrl = () => `${server.url}/plans/${PLAN_ID}`;
const shownIds = (page: Page) => page.locator("li.action").evaluateAll((els) => els.map((e) => e.getAttribute("data-action-id")));

/** A browser with JavaScript off: the sign-in form and every filter must work as plain HTML. */
async function signedInWithoutScript(email: string, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL(/\/dashboard/), page.getByRole("button", { name: "Sign in" }).click()]);
  return { context, page };
}

async function noHorizontalOverflow(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll).toBeLessThanOrEqual(width);
}

describe("finding one's way in a big plan", () => {
  it("opens on the priorities with counts, focuses a priority, filters and goes back (JavaScript on)", async () => {
    const { context, page } = await signedInPage(browser, server.url, ACCOUNTS.councilEditor);
    await page.goto(planUrl());
    // The first view: every priority with its counts, and only the first priority's actions.
    await expect.poll(() => page.getByTestId("priority-link").count()).toBe(21);
    expect(await page.getByTestId("shown-summary").innerText()).toMatch(/Showing 4 actions under BGI-1 .*, of 80 in the plan\./);
    expect(await shownIds(page)).toEqual(["act-p-bgi-1-1", "act-p-bgi-1-2", "act-p-bgi-1-3", "act-p-bgi-1-4"]);
    const ops2 = page.locator(".priority-list__item", { has: page.getByRole("link", { name: /^OPS-2 / }) });
    expect(await ops2.getByTestId("counts").innerText()).toMatch(/^6 actions/);

    await Promise.all([page.waitForURL(/\?priority=p-ops-2$/), page.getByRole("link", { name: /^OPS-2 / }).click()]);
    await expect.poll(() => shownIds(page)).toHaveLength(6);
    expect((await shownIds(page)).every((id) => id!.startsWith("act-p-ops-2-"))).toBe(true);
    expect(await page.getByRole("link", { name: /^OPS-2 / }).getAttribute("aria-current")).toBe("true");

    // Partner filter across every priority: Greater Manchester Police supports two actions.
    await page.getByLabel("Priority", { exact: true }).selectOption("all");
    await page.getByLabel("Partner", { exact: true }).selectOption({ label: "Greater Manchester Police" });
    await Promise.all([page.waitForURL(/partner=greater-manchester-police/), page.getByRole("button", { name: "Show actions" }).click()]);
    await expect.poll(() => shownIds(page)).toEqual(["act-p-core-1-2", "act-p-core-1-4"]);
    expect(await page.getByTestId("shown-summary").innerText()).toContain("2 actions match the filters across all priorities");

    // It leads none of them.
    await page.getByLabel("As", { exact: true }).selectOption("lead");
    await Promise.all([page.waitForURL(/role=lead/), page.getByRole("button", { name: "Show actions" }).click()]);
    await expect.poll(() => shownIds(page)).toEqual([]);

    // The back button walks the views back, and the form shows each view's filters.
    await page.goBack();
    await expect.poll(() => shownIds(page)).toEqual(["act-p-core-1-2", "act-p-core-1-4"]);
    expect(await page.getByLabel("As", { exact: true }).inputValue()).toBe("either");
    expect(await page.getByLabel("Partner", { exact: true }).inputValue()).toBe("greater-manchester-police");
    await page.goBack();
    await expect.poll(() => page.url()).toMatch(/\?priority=p-ops-2$/);
    await expect.poll(() => shownIds(page)).toHaveLength(6);

    // Compact cards: the agreement opens on demand.
    const card = page.locator("#action-act-p-ops-2-1");
    const agreement = card.getByTestId("agreement");
    expect(await agreement.isVisible()).toBe(false);
    await card.getByText("Agreement, suggestions and authors").click();
    await expect.poll(() => agreement.isVisible()).toBe(true);

    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  }, 90_000);

  it("lands an old link to a card (#action-…) on the view that holds it, with the card open", async () => {
    const { context, page } = await signedInPage(browser, server.url, ACCOUNTS.housingEditor);
    await page.goto(`${planUrl()}#action-act-p-cyp-11-2`);
    await page.waitForURL(/\?action=act-p-cyp-11-2#action-act-p-cyp-11-2$/);
    const card = page.locator("#action-act-p-cyp-11-2");
    await expect.poll(() => card.isVisible()).toBe(true);
    await expect.poll(() => card.getByTestId("agreement").isVisible()).toBe(true);
    expect((await shownIds(page)).every((id) => id!.startsWith("act-p-cyp-11-"))).toBe(true);
    // The links other pages write (here the dashboard's) go there directly.
    await page.goto(`${server.url}/dashboard`);
    const link = page.locator(`a[href^="/plans/${PLAN_ID}?action="]`).first();
    expect(await link.count()).toBe(1);
    const id = /#action-(.+)$/.exec((await link.getAttribute("href"))!)![1]!;
    await Promise.all([page.waitForURL(/\?action=/), link.click()]);
    await expect.poll(() => page.locator(`#action-${id}`).isVisible()).toBe(true);
    await context.close();
  }, 60_000);

  it("filters and focuses a priority with JavaScript off", async () => {
    const { context, page } = await signedInWithoutScript(ACCOUNTS.housingEditor);
    await page.goto(planUrl());
    expect(await shownIds(page)).toHaveLength(4);

    // "Needs my organisation": Six Town Housing leads BGI-13's fourth action and has not signed it off.
    await page.getByLabel("Priority", { exact: true }).selectOption("all");
    await page.getByLabel("Needs Six Town Housing").check();
    await Promise.all([page.waitForURL(/mine=1/), page.getByRole("button", { name: "Show actions" }).click()]);
    const needed = await shownIds(page);
    expect(needed).toContain("act-p-bgi-13-4");
    expect(await page.getByTestId("needs-me").count()).toBe(needed.length);

    await page.getByLabel("Partner", { exact: true }).selectOption({ label: "Six Town Housing" });
    await page.getByLabel("As", { exact: true }).selectOption("lead");
    await Promise.all([page.waitForURL(/role=lead/), page.getByRole("button", { name: "Show actions" }).click()]);
    expect(await shownIds(page)).toEqual(["act-p-bgi-13-4"]);
    const card = page.locator("#action-act-p-bgi-13-4");
    expect(await card.getByTestId("lead").innerText()).toContain("Six Town Housing");

    // Focus a priority by its link; the card's agreement opens natively (<details>).
    await Promise.all([page.waitForURL(/\?priority=p-ops-3$/), page.getByRole("link", { name: /^OPS-3 / }).click()]);
    expect(await page.getByTestId("shown-summary").innerText()).toMatch(/Showing 5 actions under OPS-3 /);
    const first = page.locator("li.action").first();
    await first.getByText("Agreement, suggestions and authors").click();
    expect(await first.getByTestId("agreement").isVisible()).toBe(true);

    // The links other pages write work without JavaScript too: the server picks the view.
    await page.goto(`${planUrl()}?action=act-p-core-1-4#action-act-p-core-1-4`);
    expect((await shownIds(page)).every((id) => id!.startsWith("act-p-core-1-"))).toBe(true);
    expect(await page.locator("#action-act-p-core-1-4").getByTestId("agreement").isVisible()).toBe(true);
    await context.close();

    // axe runs as a script in the page, so it cannot run where JavaScript is off: it scans the same
    // views in a browser that blocks the app's own scripts, which is what a script-less page shows.
    const blocked = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await blocked.route("**/assets/**/*.js", (route) => route.abort());
    const scan = await blocked.newPage();
    await scan.goto(`${server.url}/login`);
    await scan.getByLabel("Email address").fill(ACCOUNTS.housingEditor);
    await scan.getByLabel("Password").fill(DEMO_PASSWORD);
    await Promise.all([scan.waitForURL(/\/dashboard/), scan.getByRole("button", { name: "Sign in" }).click()]);
    for (const query of ["", "?priority=all&partner=six-town-housing&role=lead&mine=1"]) {
      await scan.goto(`${planUrl()}${query}`);
      expect(await scan.evaluate(() => document.querySelector("[contenteditable]"))).toBeNull();
      expect(await axeViolations(scan), query).toEqual([]);
    }
    await blocked.close();
  }, 90_000);

  it("fits a 390 px phone without sideways scrolling, with and without JavaScript", async () => {
    const phone = { width: 390, height: 844 };
    const withScript = await browser.newContext({ viewport: phone });
    const page = await withScript.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Email address").fill(ACCOUNTS.councilEditor);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await Promise.all([page.waitForURL(/\/dashboard/), page.getByRole("button", { name: "Sign in" }).click()]);
    for (const query of ["", "?priority=p-ops-2", "?priority=all&partner=bury-council&role=lead&agreement=draft"]) {
      await page.goto(`${planUrl()}${query}`);
      await noHorizontalOverflow(page);
      // Again once the first card's live editor (mounted when it scrolls into view) replaced its placeholder.
      await page.locator("li.action").first().scrollIntoViewIfNeeded();
      await expect.poll(() => page.locator("li.action").first().locator("[contenteditable]").count(), { timeout: 30_000 }).toBe(1);
      await page.locator("li.action").first().getByText("Agreement, suggestions and authors").click();
      await page.locator("li.action").first().getByText("Partners and history").click();
      await noHorizontalOverflow(page);
    }
    expect(await axeViolations(page)).toEqual([]);
    await withScript.close();

    const without = await signedInWithoutScript(ACCOUNTS.councilEditor, phone);
    await without.page.goto(`${planUrl()}?priority=p-bgi-12`);
    await noHorizontalOverflow(without.page);
    await without.context.close();
  }, 150_000);
});
