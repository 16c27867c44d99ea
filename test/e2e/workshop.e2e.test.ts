import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type AppServer, PLAN_ID, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { launchBrowser, axeViolations, signedInPage } from "../helpers/browser";

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

function seconds(clock: string): number {
  const [m, s] = clock.trim().split(":").map(Number);
  return m! * 60 + s!;
}

async function markNoReload(page: Page) {
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
}

async function stillSamePage(page: Page) {
  return page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);
}

async function live(page: Page) {
  await expect.poll(() => page.locator(".live-bar [data-connection]").getAttribute("data-connection"), { timeout: 15_000 }).toBe("live");
}

describe("a facilitated workshop in three browsers", () => {
  it("moves everyone together, keeps one timer, votes, reveals and captures an action with its lead pending", async () => {
    // The facilitator sets up the workshop through the page.
    const fac = await signedInPage(browser, server.url, ACCOUNTS.facilitator);
    await fac.page.goto(`${server.url}/workshops/new?plan=${PLAN_ID}`);
    expect(await axeViolations(fac.page)).toEqual([]);
    await fac.page.getByLabel("Title").fill("Market hall ideas with partners and residents");
    await fac.page.getByLabel("Date and start time (UK time)").fill("2026-12-10T10:00");
    await Promise.all([fac.page.waitForURL(/\/workshops\/wsh-/), fac.page.getByRole("button", { name: "Create the workshop" }).click()]);
    const workshopUrl = fac.page.url();
    await live(fac.page);
    await fac.page.getByRole("button", { name: "Start the session" }).click();
    await expect.poll(() => fac.page.getByTestId("current-item").innerText(), { timeout: 10_000 }).toContain("1. Developing Bury Market");
    const code = (await fac.page.getByTestId("guest-code").innerText()).trim();

    // A partner with an account follows the link; a resident joins with the code.
    const partner = await signedInPage(browser, server.url, ACCOUNTS.nhsEditor);
    await partner.page.goto(workshopUrl);
    const guestContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const guest = await guestContext.newPage();
    guest.on("pageerror", (err) => console.error(`[page error] guest: ${err.message}`));
    await guest.goto(`${server.url}/join`);
    expect(await axeViolations(guest)).toEqual([]);
    await guest.getByLabel("Workshop code").fill(code);
    await guest.getByLabel("Your name").fill("Dee from Radcliffe");
    await Promise.all([guest.waitForURL(/\/workshops\/wsh-/), guest.getByRole("button", { name: "Join as a guest" }).click()]);
    const people = [partner.page, guest];
    for (const p of people) {
      await live(p);
      await markNoReload(p);
      expect(await p.getByTestId("item-view").locator("h2").innerText()).toContain("Developing Bury Market");
    }

    // Follow the facilitator: the room moves, and so does every participant's view.
    await fac.page.getByRole("button", { name: "Next item" }).click();
    for (const p of people) {
      await expect.poll(() => p.getByTestId("item-view").locator("h2").innerText(), { timeout: 10_000 }).toContain("Radcliffe Hub Levelling Up");
      await expect.poll(() => p.getByTestId("current-item").innerText()).toContain("2. Radcliffe Hub");
      expect(await stillSamePage(p)).toBe(true);
    }

    // Opting out: the partner looks around while the room moves on, then follows again.
    await partner.page.getByLabel("Follow the facilitator").uncheck();
    await fac.page.getByRole("button", { name: "Next item" }).click();
    await expect.poll(() => guest.getByTestId("current-item").innerText(), { timeout: 10_000 }).toContain("3. Radcliffe SRF");
    await expect.poll(() => partner.page.getByTestId("not-following").innerText(), { timeout: 10_000 }).toContain("The room is on item 3");
    expect(await partner.page.getByTestId("item-view").locator("h2").innerText()).toContain("Radcliffe Hub Levelling Up");
    await partner.page.getByRole("button", { name: "Go there and follow the facilitator" }).click();
    await expect.poll(() => partner.page.getByTestId("item-view").locator("h2").innerText()).toContain("Radcliffe SRF");
    expect(await partner.page.getByLabel("Follow the facilitator").isChecked()).toBe(true);

    // One countdown: the three screens agree to within a second.
    await fac.page.getByRole("button", { name: "Start timer" }).click();
    const pages = [fac.page, ...people];
    for (const p of pages) await expect.poll(() => p.getByTestId("timer").getAttribute("data-running"), { timeout: 10_000 }).toBe("true");
    for (let i = 0; i < 3; i++) {
      const clocks = await Promise.all(pages.map((p) => p.getByTestId("timer-clock").innerText()));
      const values = clocks.map(seconds);
      expect(Math.max(...values) - Math.min(...values), `timers showed ${clocks.join(", ")}`).toBeLessThanOrEqual(1);
      expect(Math.max(...values)).toBeLessThanOrEqual(15 * 60);
      await fac.page.waitForTimeout(700);
    }

    // Ideas, live on every screen.
    await partner.page.getByLabel("Your idea").fill("Health checks stall at the market");
    await partner.page.getByRole("button", { name: "Add idea" }).click();
    await guest.getByLabel("Your idea").fill("Youth music nights in the hub");
    await guest.getByRole("button", { name: "Add idea" }).click();
    for (const p of pages) {
      await expect.poll(() => p.getByTestId("idea").allInnerTexts(), { timeout: 10_000 }).toEqual(
        expect.arrayContaining([expect.stringContaining("Health checks stall"), expect.stringContaining("Youth music nights")]),
      );
    }

    // Dot vote: cast, hidden, revealed, charted.
    await fac.page.getByRole("button", { name: "Open the vote" }).click();
    for (const p of people) await expect.poll(() => p.getByTestId("votes-left").innerText(), { timeout: 10_000 }).toContain("You have 3 of 3 votes left");
    const music = "Vote for Youth music nights in the hub";
    await guest.getByRole("button", { name: music }).click();
    await expect.poll(() => guest.getByTestId("votes-left").innerText()).toContain("2 of 3");
    await guest.getByRole("button", { name: music }).click();
    await expect.poll(() => guest.getByTestId("votes-left").innerText()).toContain("1 of 3");
    await partner.page.getByRole("button", { name: music }).click();
    await expect.poll(() => partner.page.getByTestId("votes-left").innerText()).toContain("2 of 3");
    await partner.page.getByRole("button", { name: "Vote for Health checks stall at the market" }).click();
    await expect.poll(() => partner.page.getByTestId("votes-left").innerText()).toContain("1 of 3");
    expect(await fac.page.getByTestId("vote-results").count()).toBe(0);
    await fac.page.getByRole("button", { name: "Close voting and show results" }).click();
    for (const p of pages) {
      const chart = p.getByTestId("vote-results");
      await expect.poll(() => chart.count(), { timeout: 10_000 }).toBe(1);
      const rows = await chart.locator(".vote-chart__row").allInnerTexts();
      expect(rows[0]!.replace(/\s+/g, " ")).toMatch(/^1\.? Youth music nights in the hub 3$/);
      expect(rows[1]!.replace(/\s+/g, " ")).toMatch(/^2\.? Health checks stall at the market 1$/);
      // The same figures as a table for screen readers.
      expect(await chart.getByTestId("vote-table").locator("tbody tr").first().innerText()).toMatch(/1\s+Youth music nights in the hub\s+3/);
    }

    // Capture: the idea becomes an action in the plan, its lead asked and pending.
    const idea = fac.page.getByTestId("idea").filter({ has: fac.page.locator(".idea__text", { hasText: "Youth music nights in the hub" }) });
    await idea.locator("summary").click();
    await idea.getByLabel("Action title").fill("Youth music nights in the Radcliffe hub");
    await idea.getByLabel("Lead partner (asked to accept)").selectOption({ label: "Six Town Housing" });
    await idea.getByRole("button", { name: "Make it an action" }).click();
    await expect.poll(() => idea.getByTestId("captured").innerText(), { timeout: 10_000 }).toContain("Youth music nights in the Radcliffe hub");
    await expect.poll(() => partner.page.getByTestId("decisions").innerText(), { timeout: 10_000 }).toContain("Six Town Housing");

    expect(await axeViolations(fac.page)).toEqual([]);
    expect(await axeViolations(partner.page)).toEqual([]);
    expect(await axeViolations(guest)).toEqual([]);

    const plan = await partner.context.newPage();
    await plan.goto(`${server.url}/plans/${PLAN_ID}?priority=all&show=100`);
    const card = plan.locator(".action").filter({ hasText: "Youth music nights in the Radcliffe hub" });
    await expect.poll(() => card.getByTestId("lead").innerText(), { timeout: 10_000 }).toMatch(/Six Town Housing\s*Lead · pending/);

    // The record, after the session.
    await fac.page.getByText("Close the workshop", { exact: true }).click();
    await fac.page.getByRole("button", { name: "Close the workshop now" }).click();
    await expect.poll(() => guest.getByTestId("workshop-ended").innerText(), { timeout: 10_000 }).toContain("Thank you for taking part");
    await fac.page.getByRole("link", { name: "Read the workshop record" }).click();
    await fac.page.waitForURL(/\/record$/);
    expect(await fac.page.getByTestId("actions-created").innerText()).toContain("Six Town Housing");
    expect(await axeViolations(fac.page)).toEqual([]);

    await guestContext.close();
    await partner.context.close();
    await fac.context.close();
  }, 90_000);
});
