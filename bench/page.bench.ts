/**
 * The plan page: server render time with 100 actions, and the JavaScript the editor page loads.
 *
 * 1. A plan with 100 actions (made through the domain code, each with a three-paragraph
 *    description and a lead organisation asked), rendered by the production build for a signed-in
 *    editor: time to the complete response over loopback, 5 warm-up requests then 30 measured.
 * 2. Editor page JS: every script the page references (entry, route modules, their imports) plus
 *    the chunks it loads lazily once an action is on screen (the Lexical editor, Yjs, the
 *    provider), gzip level 9, from build/client.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { migrateToLatest, openDatabase } from "../db/connection";
import { createAction } from "../server/domain/actions";
import { fmtMs, median, percentile, table } from "./lib/measure";
import { BENCH_ORG, BENCH_PLAN_ID, prepareOursDatabase, startOurs } from "./lib/servers";

const PLAN = "bench-plan-100";
const ACTIONS = 100;
const ASSETS = path.resolve("build/client/assets");

async function makePlan(dbFile: string, userId: number) {
  const { db } = openDatabase(dbFile);
  await migrateToLatest(db);
  const now = new Date().toISOString();
  await db.insertInto("plans").values({ id: PLAN, title: "A plan with a hundred actions", created_at: now }).execute();
  const priorities = await db.selectFrom("plan_priorities").selectAll().where("plan_id", "=", BENCH_PLAN_ID).execute();
  await db.insertInto("plan_priorities").values(priorities.map((p) => ({ ...p, plan_id: PLAN }))).execute();
  const grants = await db.selectFrom("plan_grants").select(["organisation_id", "user_id", "role"]).where("plan_id", "=", BENCH_PLAN_ID).execute();
  await db
    .insertInto("plan_grants")
    .values(grants.map((g) => ({ ...g, plan_id: PLAN, created_at: now })))
    .execute();
  const orgs = (await db.selectFrom("organisations").select("id").where("id", "!=", BENCH_ORG).execute()).map((o) => o.id);
  const actor = { userId, organisationId: BENCH_ORG, systemRole: "member" as const };
  for (let i = 0; i < ACTIONS; i++) {
    await createAction(db, actor, {
      planId: PLAN,
      priorityId: priorities[i % priorities.length].priority_id,
      title: `Action ${i + 1}: a joint piece of work the partners agreed`,
      description: [
        `What we will do together in step ${i + 1}, described in a sentence or two so partners can follow.`,
        "Who is involved, which budgets and staff time it needs, and what it depends on.",
        "How we will know it worked: the measures, and when we will look at them together.",
      ].join("\n\n"),
      leadOrganisationId: orgs[i % orgs.length],
      dueLabel: `Q${(i % 4) + 1} 2026`,
    });
  }
  await db.destroy();
}

function gzipSize(file: string): number {
  return zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

/** Asset file names a piece of JS or HTML refers to (static and dynamic imports, preload lists). */
function referencedAssets(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/([A-Za-z0-9_.$-]+\.js)\b/g)) {
    if (fs.existsSync(path.join(ASSETS, m[1]))) names.add(m[1]);
  }
  return [...names];
}

function crawl(start: string[]): { initial: Set<string>; lazy: Set<string> } {
  const initial = new Set<string>();
  const lazy = new Set<string>();
  const visit = (name: string, isLazy: boolean) => {
    if (initial.has(name) || (isLazy && lazy.has(name))) return;
    (isLazy ? lazy : initial).add(name);
    if (!isLazy) lazy.delete(name);
    // Remix's manifest names every route's module; only this page's are loaded.
    if (name.startsWith("manifest-")) return;
    const text = fs.readFileSync(path.join(ASSETS, name), "utf8");
    const dynamic = new Set([...text.matchAll(/import\(\s*["']\.\/([^"']+\.js)["']\s*\)/g)].map((m) => m[1]));
    for (const ref of referencedAssets(text)) {
      if (ref === name) continue;
      visit(ref, isLazy || dynamic.has(ref));
    }
  };
  for (const s of start) visit(s, false);
  return { initial, lazy };
}

const started = Date.now();
const prepared = await prepareOursDatabase({ users: 1, documents: [] });
await makePlan(prepared.dbFile, prepared.userIds[0]);
const server = await startOurs(prepared.dbFile);
try {
  const url = `http://127.0.0.1:${server.port}/plans/${PLAN}`;
  const get = async () => {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { cookie: prepared.cookies[0] } });
    const html = await res.text();
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${html.slice(0, 200)}`);
    return { ms: performance.now() - t0, html };
  };
  let html = "";
  for (let i = 0; i < 5; i++) html = (await get()).html;
  const times: number[] = [];
  for (let i = 0; i < 30; i++) times.push((await get()).ms);
  times.sort((a, b) => a - b);
  if (process.env.BENCH_PAGE_HTML) fs.writeFileSync(process.env.BENCH_PAGE_HTML, html);
  const editors = (html.match(/data-doc-id=/g) ?? []).length;
  console.log(`Plan page with ${ACTIONS} actions (${editors} text bodies, ${(html.length / 1024).toFixed(0)} KiB of HTML), signed-in editor, 30 requests:`);
  console.log(`  server render, complete response over loopback: median ${fmtMs(median(times))}, p95 ${fmtMs(percentile(times, 95))}, min ${fmtMs(times[0])}, max ${fmtMs(times[times.length - 1])}`);

  const { initial, lazy } = crawl(referencedAssets(html));
  const rows = [...initial, ...lazy].map((name) => ({ name, lazy: lazy.has(name), raw: fs.statSync(path.join(ASSETS, name)).size, gz: gzipSize(path.join(ASSETS, name)) }));
  rows.sort((a, b) => b.gz - a.gz);
  const sum = (list: typeof rows) => list.reduce((s, r) => s + r.gz, 0);
  console.log("\nEditor page JavaScript (gzip -9):");
  console.log(
    table(
      ["file", "loaded", "raw", "gzip"],
      rows.map((r) => [r.name, r.lazy ? "lazily" : "with the page", `${(r.raw / 1024).toFixed(1)} KiB`, `${(r.gz / 1024).toFixed(1)} KiB`]),
    ),
  );
  const total = sum(rows);
  console.log(
    `  with the page ${(sum(rows.filter((r) => !r.lazy)) / 1024).toFixed(1)} KiB + lazily ${(sum(rows.filter((r) => r.lazy)) / 1024).toFixed(1)} KiB = ${(total / 1024).toFixed(1)} KiB gzip in all (target: at most 200 KiB)`,
  );
} finally {
  await server.stop();
}
console.log(`\npage finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
