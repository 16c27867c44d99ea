// Phones in a workshop room (issue 14): at 390 × 844 the delivery board, the power-sharing record
// and the other wide tables read without sideways panning (stacked, one card per row), and a
// guest's workshop view puts the current item, the timer and the idea box first.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, DEMO_PASSWORD, login, PLAN_ID, reopenSeededPlan, startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser, axeViolations } from "../helpers/browser";
import { createWorkshop, guestCodeOf, intent } from "../helpers/workshop-client";

let server: AppServer;
let browser: Browser;
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  server = await startAppServer();
  await reopenSeededPlan(server.url);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function phonePage(email?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[page error] phone: ${err.message}`));
  if (email) {
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await Promise.all([page.waitForURL(/\/dashboard/), page.getByRole("button", { name: "Sign in" }).click()]);
  }
  return page;
}

/** How far the page reaches past the viewport sideways (0 when nothing needs panning). */
const overflow = (page: Page) => page.evaluate("document.documentElement.scrollWidth - window.innerWidth") as Promise<number>;

describe("phone layouts at 390 px", () => {
  it("the board, the power-sharing record, the dashboard and the proposals list need no sideways panning", async () => {
    const page = await phonePage(ACCOUNTS.facilitator);
    for (const path of [`/plans/${PLAN_ID}/board`, "/proposals/community-engagement-strategy", "/dashboard", "/proposals", "/plans"]) {
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState("networkidle");
      expect({ path, overflow: await overflow(page) }).toEqual({ path, overflow: 0 });
      expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
    }

    // Stacked, not squeezed or scrolled: each table is no wider than the screen, and a cell
    // says which column it belongs to.
    await page.goto(`${server.url}/plans/${PLAN_ID}/board`);
    for (const id of ["coverage-matrix", "board-table"]) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(PHONE.width);
    }
    const leadCell = page.getByTestId("coverage-matrix").locator("td.matrix__cell--lead").first();
    const label = await leadCell.evaluate((el) => getComputedStyle(el, "::before").content);
    expect(label).toMatch(/Bury Council|Six Town Housing|NHS/);

    await page.goto(`${server.url}/proposals/community-engagement-strategy`);
    const matrix = page.getByTestId("power-sharing-matrix").first();
    expect((await matrix.boundingBox())!.width).toBeLessThanOrEqual(PHONE.width);

    // Every link of the main menu is on the screen, none cut off at its edge for a swipe to find.
    const menu = page.getByRole("navigation", { name: "Main" }).getByRole("link");
    expect(await menu.count()).toBeGreaterThan(5);
    for (const link of await menu.all()) {
      const box = (await link.boundingBox())!;
      expect({ link: await link.textContent(), inside: box.x >= 0 && box.x + box.width <= PHONE.width }).toEqual({ link: await link.textContent(), inside: true });
    }
    await page.context().close();
  }, 120_000);

  it("a guest's workshop view shows the current item, the timer and the idea box on the first screen", async () => {
    const facCookie = await login(server.url, ACCOUNTS.facilitator);
    const workshopId = await createWorkshop(server.url, facCookie, { planId: PLAN_ID, title: "Phone check: market hall" });
    expect((await intent(server.url, workshopId, facCookie, { intent: "start-session" })).status).toBe(200);
    const code = await guestCodeOf(server.url, workshopId, facCookie);

    const guest = await phonePage();
    await guest.goto(`${server.url}/join?code=${code}`);
    await guest.getByLabel("Your name").fill("Dee from Radcliffe");
    await Promise.all([guest.waitForURL(/\/workshops\/wsh-/), guest.getByRole("button", { name: "Join as a guest" }).click()]);
    await expect.poll(() => guest.locator(".live-bar [data-connection]").getAttribute("data-connection"), { timeout: 15_000 }).toBe("live");

    if (process.env.SCREENSHOT_DIR) await guest.screenshot({ path: `${process.env.SCREENSHOT_DIR}/phone-guest.png` });
    const firstScreen = async (locator: ReturnType<Page["locator"]>) => {
      const box = await locator.first().boundingBox();
      return box !== null && box.y >= 0 && box.y + Math.min(box.height, 40) <= PHONE.height;
    };
    expect(await firstScreen(guest.getByTestId("current-item"))).toBe(true);
    expect(await firstScreen(guest.getByTestId("timer-clock"))).toBe(true);
    expect(await firstScreen(guest.getByLabel("Your idea"))).toBe(true);
    // The agenda comes after the item, not before it.
    const item = (await guest.getByTestId("current-item").first().boundingBox())!;
    const agenda = (await guest.locator(".agenda").first().boundingBox())!;
    expect(agenda.y).toBeGreaterThan(item.y);
    expect(await overflow(guest)).toBe(0);
    expect(await axeViolations(guest)).toEqual([]);
    await guest.context().close();
  }, 120_000);
});
