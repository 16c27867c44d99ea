import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { DEMO_PASSWORD, type AppServer } from "./app-server";
import { seededAppServer } from "./seeded-app";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Content-Security-Policy violations Chromium reported in any page's console. The app runs with
 * its real policy in these suites; a violation (an inline script without the nonce, an inline
 * event handler, a blocked connection) fails the test it happened in, and closing the browser.
 */
const cspViolations: string[] = [];

function watchConsole(message: ConsoleMessage) {
  const text = message.text();
  if (/Content Security Policy/i.test(text)) {
    cspViolations.push(`${message.page()?.url() ?? "?"}: ${text}`);
    console.error(`[CSP violation] ${text}`);
  }
}

export function takeViolations(): string[] {
  return cspViolations.splice(0, cspViolations.length);
}

afterEach(() => {
  const found = takeViolations();
  if (found.length) throw new Error(`Content-Security-Policy violations reported in the browser:\n${found.join("\n")}`);
});

export async function launchBrowser(): Promise<Browser> {
  const browser = await launchChromium();
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    context.on("console", watchConsole);
    return context;
  };
  const close = browser.close.bind(browser);
  browser.close = async (...args) => {
    await close(...args);
    const found = takeViolations();
    if (found.length) throw new Error(`Content-Security-Policy violations reported in the browser:\n${found.join("\n")}`);
  };
  return browser;
}

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
    ],
  });
}

/** A separate context is a separate browser profile: no shared cookies, storage or BroadcastChannel. */
export async function signedInPage(browser: Browser, baseUrl: string, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[page error] ${email}: ${err.message}`));
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL(/\/dashboard/), page.getByRole("button", { name: "Sign in" }).click()]);
  return { context, page };
}

/** axe-core against WCAG 2.x A/AA (2.2 included); every finding, whatever its impact. */
export async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  return results.violations
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
}

/**
 * For one e2e file: the production server on a fresh seeded database with the 2022-23 plan
 * reopened (it is archived in the demo, and these tests edit it), and Chromium; both stopped after
 * the file. Read `server` and `browser` inside the tests (they exist once beforeAll has run).
 */
export function seededAppAndBrowser(): { readonly server: AppServer; readonly browser: Browser } {
  const handle = {} as { server: AppServer; browser: Browser };
  const app = seededAppServer();
  beforeAll(async () => {
    handle.server = app.server;
    handle.browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await handle.browser?.close();
  });
  return handle;
}
