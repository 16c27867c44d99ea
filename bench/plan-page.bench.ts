/**
 * The plan page at real size (issue 14's targets), printed beside the figures the issue measured
 * before its work (the page then sent every action with its whole agreement panel):
 *
 * 1. The seeded Let's Do It! plan (80 actions), reopened so that an editor can type, opened by an
 *    editor of a partner organisation:
 *    - the first view's HTML, as decoded and as sent (the server compresses what the browser
 *      accepts);
 *    - every text response over 1 KB that Chromium receives while loading the page compressed;
 *    - server render: time to the complete response over loopback, 5 warm-up then 30 measured;
 *    - first editable text in Chromium: from the start of navigation (the page's own clock,
 *      performance.now()) until a contenteditable element of an action's text is on the page,
 *      median of 10 loads in fresh browser contexts.
 * 2. A plan of 2,000 actions (bench/lib/big-plan.ts: descriptions, owners, milestones, updates):
 *    the first view's size, server render median of 10, and the server's event-loop stall over
 *    those requests (read from /metrics, as bench/event-loop.bench.ts does).
 *
 * `npm run build && node --import tsx bench/plan-page.bench.ts`. Prints figures; asserts nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { buildPlanDatabase } from "./lib/big-plan";
import { fmtMs, median, percentile, table } from "./lib/measure";
import { ACCOUNTS, DEMO_PASSWORD, login, PLAN_ID, reopenSeededPlan, startAppServer } from "../test/helpers/app-server";

const KB = 1000;
const started = Date.now();
const loadAtStart = os.loadavg()[0];

/** GET as a browser would (compression accepted): decoded bytes, bytes on the wire, encoding, time. */
async function get(url: string, cookie: string) {
  const t0 = performance.now();
  // fetch decodes the body itself; the wire size is read from a second request's raw stream.
  const res = await fetch(url, { headers: { cookie, "accept-encoding": "gzip, br" } });
  const body = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${body.toString("utf8").slice(0, 200)}`);
  return { ms, decoded: body.length, encoding: res.headers.get("content-encoding") ?? "none" };
}

async function wireBytes(url: string, cookie: string): Promise<number> {
  const http = await import("node:http");
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { cookie, "accept-encoding": "gzip, br" } }, (res) => {
        let n = 0;
        res.on("data", (chunk: Buffer) => (n += chunk.length));
        res.on("end", () => resolve(n));
      })
      .on("error", reject);
  });
}

async function renderTimes(url: string, cookie: string, warm: number, runs: number) {
  for (let i = 0; i < warm; i++) await get(url, cookie);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await get(url, cookie)).ms);
  return times.sort((a, b) => a - b);
}

async function loopDelayMs(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^nodejs_eventloop_lag_max_seconds(?:\{[^}]*\})? ([0-9.e+-]+)$/m.exec(text)?.[1] ?? NaN) * 1000;
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;
const rows: string[][] = [];

// ---- 1. The seeded 80-action plan -------------------------------------------------------------
{
  const server = await startAppServer();
  try {
    await reopenSeededPlan(server.url);
    const cookie = await login(server.url, ACCOUNTS.nhsEditor);
    const url = `${server.url}/plans/${PLAN_ID}`;
    const first = await get(url, cookie);
    const wire = await wireBytes(url, cookie);
    const times = await renderTimes(url, cookie, 5, 30);

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const editable: number[] = [];
    const uncompressed: string[] = [];
    let textResponses = 0;
    try {
      for (let i = 0; i < 10; i++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        await page.goto(`${server.url}/login`);
        await page.getByLabel("Email address").fill(ACCOUNTS.nhsEditor);
        await page.getByLabel("Password").fill(DEMO_PASSWORD);
        await Promise.all([page.waitForURL(/\/dashboard/), page.getByRole("button", { name: "Sign in" }).click()]);
        if (i === 0) {
          page.on("response", async (res) => {
            const type = res.headers()["content-type"] ?? "";
            if (!/text|javascript|json|css|svg|xml/.test(type)) return;
            const size = Number(res.headers()["content-length"] ?? (await res.body().catch(() => Buffer.alloc(0))).length);
            const decoded = (await res.body().catch(() => Buffer.alloc(0))).length;
            if (Math.max(size, decoded) <= 1024) return;
            textResponses += 1;
            if (!res.headers()["content-encoding"]) uncompressed.push(`${new URL(res.url()).pathname} (${kb(decoded)})`);
          });
        }
        await page.goto(url, { waitUntil: "commit" });
        await page.waitForSelector('[data-doc-id][contenteditable="true"]', { timeout: 30_000 });
        editable.push(await page.evaluate(() => performance.now()));
        await page.waitForLoadState("load");
        await context.close();
      }
    } finally {
      await browser.close();
    }
    editable.sort((a, b) => a - b);
    rows.push(
      ["80-action plan: first view HTML", "at most 150 KB", `${kb(first.decoded)} (${kb(wire)} sent, ${first.encoding})`, "707-725 KB, uncompressed", first.decoded <= 150 * KB ? "met" : "missed"],
      ["80-action plan: text responses over 1 KB compressed", "all", `${textResponses - uncompressed.length} of ${textResponses}${uncompressed.length ? `; not: ${uncompressed.join(", ")}` : ""}`, "none", uncompressed.length === 0 ? "met" : "missed"],
      ["80-action plan: server render", "median at most 50 ms", `median ${fmtMs(median(times))}, p95 ${fmtMs(percentile(times, 95))}`, "(not measured)", median(times) <= 50 ? "met" : "missed"],
      ["80-action plan: first editable text in Chromium", "median at most 1.5 s", `median ${fmtMs(median(editable))} (${fmtMs(editable[0])} - ${fmtMs(editable[editable.length - 1])}, 10 loads)`, "5.4-5.8 s to interactive", median(editable) <= 1500 ? "met" : "missed"],
    );
  } finally {
    await server.stop();
  }
}

// ---- 2. A plan of 2,000 actions ---------------------------------------------------------------
{
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdw-bench-plan-page-"));
  const file = path.join(dir, "bench.sqlite");
  const built = await buildPlanDatabase(file, 2000);
  await built.db.destroy();
  const server = await startAppServer({ dbFile: file, env: { SEED_ON_EMPTY: "false" } });
  try {
    await reopenSeededPlan(server.url);
    const cookie = await login(server.url, ACCOUNTS.nhsEditor);
    const url = `${server.url}/plans/${built.planId}`;
    await loopDelayMs(server.url); // resets the server's histogram
    const first = await get(url, cookie); // cold: every document read for the first time
    const coldStall = await loopDelayMs(server.url);
    const wire = await wireBytes(url, cookie);
    await get(url, cookie);
    await loopDelayMs(server.url);
    const times = await renderTimes(url, cookie, 0, 10);
    const stall = await loopDelayMs(server.url);
    // The whole list of 2,000 (?priority=all) is what a filter that matches everything shows.
    const all = await get(`${url}?priority=all`, cookie);
    rows.push(
      ["2,000-action plan: first view HTML", "at most 500 KB", `${kb(first.decoded)} (${kb(wire)} sent, ${first.encoding}); every action: ${kb(all.decoded)}`, "16.9 MB", first.decoded <= 500 * KB ? "met" : "missed"],
      ["2,000-action plan: server render", "median at most 300 ms", `median ${fmtMs(median(times))}, p95 ${fmtMs(percentile(times, 95))}`, "5-8.8 s", median(times) <= 300 ? "met" : "missed"],
      ["2,000-action plan: first render after start (cold)", "(none)", fmtMs(first.ms), "", ""],
      ["2,000-action plan: event-loop stall while rendering", "none over 100 ms", `longest ${fmtMs(stall)}; first render after start ${fmtMs(coldStall)}`, "(the render itself)", Math.max(stall, coldStall) <= 100 ? "met" : "missed"],
    );
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`The plan page at real size; ${os.cpus().length} cores, Node ${process.version}, load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end.\n`);
console.log(table(["figure", "target (issue 14)", "now", "before issue 14", ""], rows));
console.log(`\nplan-page finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
