import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type AppServer, login, PLAN_ID, postForm, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { launchBrowser, axeViolations, signedInPage } from "../helpers/browser";

// BGI-1's first deliverable: Bury Council leads it; its only milestone was due 30 June 2022.
const ACTION_ID = "act-p-bgi-1-1";

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

describe("accountability in the browser", () => {
  it("an owner's update turns an action amber on the board, live; the matrix flags a priority with no lead; axe is clean", async () => {
    // Bury Council steps back from leading both actions of OPS-5 (Youth Zone): that priority now has no lead.
    const council = await login(server.url, ACCOUNTS.councilEditor);
    for (const actionId of ["act-p-ops-5-1", "act-p-ops-5-2"]) {
      const res = await postForm(server.url, `/plans/${PLAN_ID}`, council, { intent: "remove-owner", actionId, organisationId: "bury-council" });
      expect(res.status).toBe(200);
    }

    const owner = await signedInPage(browser, server.url, ACCOUNTS.councilEditor);
    const board = await signedInPage(browser, server.url, ACCOUNTS.facilitator);

    // The facilitator watches the board.
    await board.page.goto(`${server.url}/plans/${PLAN_ID}/board`);
    const row = board.page.locator(`tr[data-action-id="${ACTION_ID}"]`);
    expect(await row.getAttribute("data-rag")).toBe("red");
    const gap = board.page.locator('tr[data-priority="OPS-5"]');
    expect(await gap.getAttribute("data-gap")).toBe("no-lead");
    expect(await gap.innerText()).toContain("No lead partner");
    expect(await board.page.getByTestId("coverage-gaps").innerText()).toMatch(/2 priorities have no lead partner:.*BGI-3.*OPS-5/s);
    const amberBefore = Number(await board.page.getByTestId("count-amber").innerText());
    // A full reload would wipe this marker: the board must change in place.
    await board.page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    // The owner marks the overdue milestone done: the action turns green.
    await owner.page.goto(`${server.url}/plans/${PLAN_ID}/actions/${ACTION_ID}`);
    const status = owner.page.getByTestId("action-status");
    await expect.poll(() => status.innerText()).toContain("Red");
    await owner.page.getByRole("button", { name: /Mark done/ }).click();
    await expect.poll(() => status.innerText(), { timeout: 10_000 }).toContain("Green");
    // The board follows without a reload.
    await expect.poll(() => row.getAttribute("data-rag"), { timeout: 10_000 }).toBe("green");

    // The owner reports the next stage at risk, with its mitigation.
    await owner.page.getByRole("radio", { name: "At risk" }).check();
    await owner.page.getByLabel("What has happened since the last update").fill("Site investigations found contamination under the market car park.");
    await owner.page.getByLabel(/^Mitigation/).fill("Remediation survey commissioned; revised programme to Cabinet in October.");
    await owner.page.getByRole("button", { name: "Post update" }).click();
    await expect.poll(() => status.innerText(), { timeout: 10_000 }).toContain("Amber");
    expect(await status.innerText()).toContain("The owner reported it at risk");
    expect(await owner.page.getByTestId("updates").innerText()).toContain("Sarah Whitworth (Bury Council)");
    // Said beside the button that posted it, and the form is empty for the next update.
    const posted = owner.page.locator('form.update-form [data-feedback-for="progress"][role="status"]');
    await expect.poll(() => posted.innerText()).not.toBe("");
    expect(await owner.page.getByLabel("What has happened since the last update").inputValue()).toBe("");
    expect(await axeViolations(owner.page)).toEqual([]);

    // The board shows the change, in words as well as colour, live.
    await expect.poll(() => row.getAttribute("data-rag"), { timeout: 10_000 }).toBe("amber");
    expect(await row.innerText()).toMatch(/At risk[\s\S]*Amber/);
    await expect.poll(() => board.page.getByTestId("count-amber").innerText()).toBe(String(amberBefore + 1));
    expect(await board.page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(await axeViolations(board.page)).toEqual([]);

    // The owner's own view, and the rules page, pass axe too.
    await owner.page.goto(`${server.url}/my-organisation`);
    expect(await owner.page.locator("h1").innerText()).toContain("Bury Council");
    expect(await axeViolations(owner.page)).toEqual([]);
    await board.page.goto(`${server.url}/rag-rules`);
    expect(await axeViolations(board.page)).toEqual([]);

    await owner.context.close();
    await board.context.close();
  }, 90_000);
});
