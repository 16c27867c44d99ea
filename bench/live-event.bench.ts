/**
 * One live event reaching 60 open plan pages: the server CPU it costs in all (issue 14 target:
 * at most 200 ms). 60 people of one partner have the seeded 80-action plan open, each with its
 * event stream; one of them names their organisation as a supporting partner of an action (an
 * ownership change, which also re-derives agreement: two events). Each simulated page reacts as
 * the browser does:
 *  - before: as every plan page did until this issue, it reloads all its data (Remix revalidation:
 *    GET /plans/<id>.data, the root and plan loaders) for every event;
 *  - after: for the events naming an action, it fetches only that action's card
 *    (GET /plans/<id>/cards/<action>), once for the events of one change, and redraws it.
 * CPU is the server process's user + system time (/proc) from the POST until every page has its
 * answers, median of 5 rounds per way, both ways in the same run against the same server.
 */
import { fmtMs, median, processCpuSeconds, sleep, table } from "./lib/measure";
import { BENCH_ORG, BENCH_PLAN_ID, prepareOursDatabase, startOurs } from "./lib/servers";

const PAGES = 60;
const ROUNDS = 5;
const CARD_EVENTS_SETTLE_MS = 50;

const prepared = await prepareOursDatabase({ users: PAGES, documents: [] });
const server = await startOurs(prepared.dbFile);
const base = `http://127.0.0.1:${server.port}`;
const origin = base;

interface Page {
  cookie: string;
  events: { kind?: string; actionId?: string }[];
  onEvent: ((e: { kind?: string; actionId?: string }) => void) | null;
  abort: AbortController;
}

async function openStream(cookie: string): Promise<Page> {
  const page: Page = { cookie, events: [], onEvent: null, abort: new AbortController() };
  const res = await fetch(`${base}/plans/${BENCH_PLAN_ID}/events`, { headers: { Cookie: cookie, Accept: "text/event-stream" }, signal: page.abort.signal });
  if (!res.ok || !res.body) throw new Error(`event stream: ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let at: number;
        while ((at = buffer.indexOf("\n\n")) >= 0) {
          const chunk = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const data = chunk.split("\n").find((l) => l.startsWith("data: "));
          if (!data) continue;
          const event = JSON.parse(data.slice(6));
          page.events.push(event);
          page.onEvent?.(event);
        }
      }
    } catch {
      /* aborted at the end */
    }
  })();
  return page;
}

const pages = await Promise.all(prepared.cookies.map(openStream));
await sleep(500);

// Actions of the plan, in order, to change one per round.
const actionIds = await (async () => {
  const { openDatabase } = await import("../db/connection");
  const { db } = openDatabase(prepared.dbFile);
  const rows = await db.selectFrom("actions").select("id").where("plan_id", "=", BENCH_PLAN_ID).orderBy("position").execute();
  await db.destroy();
  return rows.map((r) => r.id);
})();

async function drain(res: Response) {
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${res.url}: ${res.status}`);
}

/** One event round: POST the change, let every page react `way`, wait for all of it. */
async function round(way: "before" | "after", actionId: string): Promise<{ cpuMs: number; events: number; requests: number }> {
  let requests = 0;
  const pending: Promise<void>[] = [];
  for (const page of pages) {
    const scheduled = new Set<string>();
    page.onEvent = (event) => {
      if (way === "before" || !event.actionId) {
        requests++;
        pending.push(fetch(`${base}/plans/${BENCH_PLAN_ID}.data`, { headers: { Cookie: page.cookie } }).then(drain));
        return;
      }
      // As the page does (app/routes/plans.$planId.tsx): the events of one change are answered by
      // one card fetch, 50 ms after the first.
      const id = event.actionId;
      if (scheduled.has(id)) return;
      scheduled.add(id);
      requests++;
      pending.push(
        sleep(CARD_EVENTS_SETTLE_MS).then(async () => {
          scheduled.delete(id);
          await drain(await fetch(`${base}/plans/${BENCH_PLAN_ID}/cards/${encodeURIComponent(id)}`, { headers: { Cookie: page.cookie } }));
        }),
      );
    };
  }
  const seen = pages.map((p) => p.events.length);
  const cpu0 = processCpuSeconds(server.pid);
  const post = await fetch(`${base}/plans/${BENCH_PLAN_ID}`, {
    method: "POST",
    headers: { Cookie: pages[0].cookie, Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "name-owner", actionId, organisationId: BENCH_ORG, role: "support" }),
    redirect: "manual",
  });
  await drain(post);
  // Every page has had its events (two: ownership, then agreement when partners changed) and
  // its reactions have been answered; then a quiet moment so nothing is still running.
  for (let i = 0; i < 100; i++) {
    await sleep(50);
    await Promise.all(pending);
    const settled = pages.every((p, j) => p.events.length > seen[j]) && pending.length === requests;
    if (settled && i > 4) break;
  }
  await Promise.all(pending);
  await sleep(300);
  const cpuMs = (processCpuSeconds(server.pid) - cpu0) * 1000;
  const events = pages.reduce((n, p, j) => n + p.events.length - seen[j], 0);
  for (const page of pages) page.onEvent = null;
  return { cpuMs, events, requests };
}

// Warm both paths once.
await round("before", actionIds[0]!);
await round("after", actionIds[1]!);

const results: Record<"before" | "after", { cpuMs: number; events: number; requests: number }[]> = { before: [], after: [] };
for (let i = 0; i < ROUNDS; i++) {
  results.before.push(await round("before", actionIds[2 + 2 * i]!));
  results.after.push(await round("after", actionIds[3 + 2 * i]!));
}
for (const page of pages) page.abort.abort();
await server.stop();

const row = (way: "before" | "after", label: string) => {
  const r = results[way];
  return [label, `${r[0].events / PAGES} per page`, `${median(r.map((x) => x.requests))}`, fmtMs(median(r.map((x) => x.cpuMs))), `${fmtMs(Math.min(...r.map((x) => x.cpuMs)))} – ${fmtMs(Math.max(...r.map((x) => x.cpuMs)))}`];
};
console.log(`One ownership change reaching ${PAGES} open pages of the seeded plan (${actionIds.length} actions); median of ${ROUNDS} rounds.`);
console.log(
  table(
    ["pages react by", "events", "requests", "server CPU (median)", "range"],
    [row("before", "before: reloading the whole plan"), row("after", "after: refetching the one card")],
  ),
);
console.log(`Target: at most 200 ms of server CPU in all (after: ${fmtMs(median(results.after.map((x) => x.cpuMs)))}).`);
