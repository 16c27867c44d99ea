import Database from "better-sqlite3";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type AppServer, login, PLAN_ID, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { launchBrowser, axeViolations, signedInPage } from "../helpers/browser";
import { createWorkshop, intent } from "../helpers/workshop-client";

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

const SHOTS = process.env.SCREENSHOT_DIR;

function query<T>(sqlText: string, ...args: unknown[]): T[] {
  const db = new Database(server.dbFile, { readonly: true });
  try {
    return db.prepare(sqlText).all(...args) as T[];
  } finally {
    db.close();
  }
}

/** Reads the QR code off the screen as a camera would: a screenshot, decoded by jsQR. */
async function decodeQr(page: Page): Promise<string | null> {
  const png = PNG.sync.read(await page.getByTestId("screen-qr").screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

async function live(page: Page) {
  await expect.poll(() => page.locator(".live-bar [data-connection]").getAttribute("data-connection"), { timeout: 15_000 }).toBe("live");
}

async function joinAsGuest(url: string, name: string) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[page error] ${name}: ${err.message}`));
  await page.goto(url);
  await page.getByLabel("Your name").fill(name);
  await Promise.all([page.waitForURL(/\/workshops\/wsh-/), page.getByRole("button", { name: "Join as a guest" }).click()]);
  await live(page);
  return { context, page };
}

describe("the room screen, polls, consent and ideas in five browsers", () => {
  it("shows a QR code that joins, runs a poll and a consent check end to end, keeps ideas anonymous and edits live", async () => {
    const facCookie = await login(server.url, ACCOUNTS.facilitator);
    const workshopId = await createWorkshop(server.url, facCookie, { planId: PLAN_ID, title: "Market hall: deciding together" });
    const fac = await signedInPage(browser, server.url, ACCOUNTS.facilitator);
    await fac.page.goto(`${server.url}/workshops/${workshopId}`);
    await live(fac.page);
    await fac.page.getByRole("button", { name: "Start the session" }).click();
    await expect.poll(() => fac.page.getByTestId("current-item").innerText(), { timeout: 10_000 }).toContain("1. ");

    // The projector: its own browser, signed in as the facilitator, full HD.
    const screenContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const screen = await screenContext.newPage();
    screen.on("pageerror", (err) => console.error(`[page error] screen: ${err.message}`));
    await screen.goto(`${server.url}/login`);
    await screen.getByLabel("Email address").fill(ACCOUNTS.facilitator);
    await screen.getByLabel("Password").fill("codesign-demo-2030");
    await Promise.all([screen.waitForURL(/\/dashboard/), screen.getByRole("button", { name: "Sign in" }).click()]);
    const [popup] = await Promise.all([fac.context.waitForEvent("page"), fac.page.getByTestId("room-screen-link").click()]);
    expect(new URL(popup.url()).pathname).toBe(`/workshops/${workshopId}/screen`);
    await popup.close();
    await screen.goto(`${server.url}/workshops/${workshopId}/screen`);
    await expect.poll(() => screen.getByTestId("room-screen").getAttribute("data-connection"), { timeout: 15_000 }).toBe("live");
    expect(await screen.locator(".site-header").count()).toBe(0);

    const code = (await screen.getByTestId("screen-code").innerText()).trim();
    const joinUrl = `${server.url}/join?code=${code}`;
    expect((await screen.getByTestId("screen-join-url").innerText()).trim()).toBe(joinUrl);
    expect(await decodeQr(screen)).toBe(joinUrl);

    // Two guests join by the decoded link, a partner by signing in.
    const dee = await joinAsGuest((await decodeQr(screen))!, "Dee from Radcliffe");
    const sam = await joinAsGuest(joinUrl, "Sam");
    const partner = await signedInPage(browser, server.url, ACCOUNTS.nhsEditor);
    await partner.page.goto(`${server.url}/workshops/${workshopId}`);
    await live(partner.page);
    await expect.poll(() => screen.getByTestId("screen-present").innerText(), { timeout: 10_000 }).toMatch(/Guests\s*2/);
    await expect.poll(() => screen.getByTestId("screen-present").innerText(), { timeout: 10_000 }).toMatch(/NHS[^\n]*\s1\b/);

    // Anonymous ideas, switched on from the facilitator's page.
    await fac.page.getByLabel("Anonymous ideas", { exact: true }).check();
    await fac.page.getByRole("form", { name: "Ways of working" }).getByRole("button", { name: "Save" }).click();
    await expect.poll(() => dee.page.getByTestId("idea-hint").innerText(), { timeout: 10_000 }).toContain("Ideas are anonymous here");
    const secret = "A quiet room for carers at the market";
    await dee.page.getByLabel("Your idea").fill(secret);
    await dee.page.getByRole("button", { name: "Add idea" }).click();
    await expect.poll(() => screen.getByTestId("screen-ideas").innerText(), { timeout: 10_000 }).toContain(secret);
    expect(await screen.getByTestId("screen-idea").filter({ hasText: secret }).innerText()).toContain("Anonymous");
    expect(query("select participant_id from workshop_ideas where text = ?", secret)).toEqual([{ participant_id: null }]);
    expect(await fac.page.getByTestId("idea").filter({ hasText: secret }).innerText()).toContain("Anonymous");

    // Named again; the partner's idea, edited, is seen edited everywhere at once.
    await fac.page.getByLabel("Anonymous ideas", { exact: true }).uncheck();
    await fac.page.getByRole("form", { name: "Ways of working" }).getByRole("button", { name: "Save" }).click();
    await expect.poll(() => partner.page.getByTestId("idea-hint").innerText(), { timeout: 10_000 }).toContain("Your organisation is shown");
    await partner.page.getByLabel("Your idea").fill("Health checks on market day");
    await partner.page.getByRole("button", { name: "Add idea" }).click();
    const own = partner.page.getByTestId("idea").filter({ hasText: "Health checks on market day" });
    await expect.poll(() => own.count(), { timeout: 10_000 }).toBe(1);
    await own.locator("summary").click();
    await own.getByLabel("Change my idea").fill("Free health checks every market day");
    await own.getByRole("button", { name: "Save the new words" }).click();
    for (const p of [screen, sam.page, fac.page]) {
      const texts = () => p.locator(".idea__text, .room-screen__idea-text").allInnerTexts();
      await expect.poll(texts, { timeout: 10_000 }).toContain("Free health checks every market day");
      expect(await texts()).not.toContain("Health checks on market day");
    }
    expect(await sam.page.getByTestId("idea").filter({ hasText: "Free health checks" }).getByTestId("idea-edited").innerText()).toContain(
      "Edited by its author",
    );

    // A single-choice poll, opened on the facilitator's page, answered on three devices.
    await fac.page.getByLabel("Question", { exact: true }).fill("Which day suits the pop-up?");
    await fac.page.getByLabel("Options, one per line").fill("Wednesday\nFriday\nSaturday");
    await fac.page.getByRole("button", { name: "Open the poll" }).click();
    await expect.poll(() => screen.getByTestId("screen-open-poll").innerText(), { timeout: 10_000 }).toContain("Which day suits the pop-up?");
    for (const [p, day] of [[dee.page, "Friday"], [sam.page, "Saturday"], [partner.page, "Saturday"]] as const) {
      const poll = p.getByTestId("poll").filter({ hasText: "Which day suits" });
      await poll.getByLabel(day, { exact: true }).check();
      await poll.getByRole("button", { name: "Send my answer" }).click();
      await expect.poll(() => poll.getByTestId("my-answer").innerText(), { timeout: 10_000 }).toContain(day);
    }
    // Dee changes her mind; her answer is replaced, not added.
    const deePoll = dee.page.getByTestId("poll").filter({ hasText: "Which day suits" });
    await deePoll.getByLabel("Saturday", { exact: true }).check();
    await deePoll.getByRole("button", { name: "Change my answer" }).click();
    await expect.poll(() => deePoll.getByTestId("my-answer").innerText(), { timeout: 10_000 }).toContain("Saturday");
    await expect.poll(() => screen.getByTestId("screen-open-poll").innerText(), { timeout: 10_000 }).toContain("3 people have answered");

    // One answer per person on HTTP too: Sam's own cookie, racing, still one answer.
    const samCookie = (await sam.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const state = await (await fetch(`${server.url}/workshops/${workshopId}/state`, { headers: { Cookie: samCookie } })).json();
    const pollId = state.snapshot.polls[0].id as number;
    const wednesday = state.snapshot.polls[0].options[0].id as number;
    const shots = await Promise.all(Array.from({ length: 6 }, () => intent(server.url, workshopId, samCookie, { intent: "answer-poll", pollId, optionId: wednesday })));
    expect(shots.map((s) => s.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(query("select participant_id, count(*) n from workshop_poll_answers where poll_id = ? group by participant_id having n > 1", pollId)).toEqual([]);
    expect(query<{ n: number }>("select count(*) n from workshop_poll_answers where poll_id = ?", pollId)[0]!.n).toBe(3);
    expect((await intent(server.url, workshopId, facCookie, { intent: "answer-poll", pollId, optionId: wednesday })).status).toBe(403);

    await fac.page.getByRole("button", { name: "Close and show the answers" }).click();
    const results = screen.getByTestId("screen-results");
    await expect.poll(() => results.getByTestId("poll-results").count(), { timeout: 10_000 }).toBe(1);
    const rows = await results.locator("tbody tr").allInnerTexts();
    expect(rows.map((r) => r.replace(/\s+/g, " ").trim())).toEqual([expect.stringMatching(/^NHS.* 0 0 1$/), "Guests 1 0 1"]);
    expect(await dee.page.getByTestId("poll-results").locator("tfoot").innerText()).toMatch(/Everyone\s+1\s+0\s+2/);
    expect(await intent(server.url, workshopId, samCookie, { intent: "answer-poll", pollId, optionId: wednesday })).toEqual({
      status: 409,
      message: "This poll has closed, so answers can no longer be given or changed.",
    });

    // A consent check: an objection with its reason, a stand-aside and an agreement.
    await fac.page.getByLabel("Consent check", { exact: true }).check();
    await fac.page.getByLabel("The proposal to consent to").fill("We pilot the pop-up on Saturdays from March.");
    await fac.page.getByRole("button", { name: "Open the consent check" }).click();
    const consentOf = (p: Page) => p.getByTestId("poll").filter({ hasText: "We pilot the pop-up" });
    await expect.poll(() => consentOf(partner.page).count(), { timeout: 10_000 }).toBe(1);
    await consentOf(partner.page).getByLabel("Object", { exact: true }).check();
    await consentOf(partner.page).getByLabel("Your reason (needed for an objection)").fill("Saturdays clash with the walk-in clinic");
    await consentOf(partner.page).getByRole("button", { name: "Send my answer" }).click();
    await consentOf(dee.page).getByLabel("Agree", { exact: true }).check();
    await consentOf(dee.page).getByRole("button", { name: "Send my answer" }).click();
    await consentOf(sam.page).getByLabel("Stand aside", { exact: true }).check();
    await consentOf(sam.page).getByRole("button", { name: "Send my answer" }).click();
    for (const p of [partner.page, dee.page, sam.page]) {
      await expect.poll(() => consentOf(p).getByTestId("my-answer").innerText(), { timeout: 10_000 }).toContain("Your answer now");
    }
    await expect.poll(() => screen.getByTestId("screen-open-poll").innerText(), { timeout: 10_000 }).toContain("3 people have answered");
    await fac.page.getByRole("button", { name: "Close and show the answers" }).click();
    await expect.poll(() => results.innerText(), { timeout: 10_000 }).toContain("Saturdays clash with the walk-in clinic");
    expect(await results.innerText()).toMatch(/Object\s*\(NHS[^)]*\): Saturdays clash/);
    expect((await results.locator("tfoot").innerText()).replace(/\s+/g, " ")).toContain("Everyone 1 1 1");

    // A dot vote revealed on the screen.
    await fac.page.getByRole("button", { name: "Open the vote" }).click();
    await expect.poll(() => screen.getByTestId("screen-open-vote").count(), { timeout: 10_000 }).toBe(1);
    await dee.page.getByRole("button", { name: "Vote for Free health checks every market day" }).click();
    await expect.poll(() => dee.page.getByTestId("votes-left").innerText(), { timeout: 10_000 }).toContain("2 of 3");
    await fac.page.getByRole("button", { name: "Close voting and show results" }).click();
    await expect.poll(() => results.getByTestId("vote-results").count(), { timeout: 10_000 }).toBe(1);
    expect((await results.locator(".vote-chart__row").first().innerText()).replace(/\s+/g, " ")).toMatch(/Free health checks every market day 1$/);

    expect(await axeViolations(screen)).toEqual([]);
    if (SHOTS) await screen.screenshot({ path: `${SHOTS}/room-1920.png` });

    // The same screen on a 1280 × 720 projector: everything on screen, the code still scans.
    await screen.setViewportSize({ width: 1280, height: 720 });
    for (const id of ["screen-item", "screen-qr", "screen-join-url", "screen-code", "screen-present", "timer-clock"]) {
      const box = (await screen.getByTestId(id).boundingBox())!;
      expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= 1280 && box.y + box.height <= 720, `${id} off screen: ${JSON.stringify(box)}`).toBe(true);
    }
    expect(await decodeQr(screen)).toBe(joinUrl);
    expect(await axeViolations(screen)).toEqual([]);
    if (SHOTS) await screen.screenshot({ path: `${SHOTS}/room-1280.png` });

    // The screen follows the facilitator, with no interaction.
    await fac.page.getByRole("button", { name: "Next item" }).click();
    await expect.poll(() => screen.getByTestId("screen-item").innerText(), { timeout: 10_000 }).toMatch(/^2\. /);
    if (SHOTS) {
      await dee.page.screenshot({ path: `${SHOTS}/guest-390.png`, fullPage: true });
      await fac.page.screenshot({ path: `${SHOTS}/facilitator.png`, fullPage: true });
    }

    for (const c of [dee.context, sam.context, partner.context, screenContext, fac.context]) await c.close();
  }, 120_000);

  it("opens the room screen to facilitators only", async () => {
    const facCookie = await login(server.url, ACCOUNTS.facilitator);
    const workshopId = await createWorkshop(server.url, facCookie, { planId: PLAN_ID, title: "Screen access" });
    const nhs = await login(server.url, ACCOUNTS.nhsEditor);
    const res = await fetch(`${server.url}/workshops/${workshopId}/screen`, { headers: { Cookie: nhs } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("opens for the workshop's facilitators");
  });
});
