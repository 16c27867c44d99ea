// Board view server render time and Word report build time for a plan of 500 actions.
// `npm run bench` (or `npm run build && node --import tsx bench/reports.bench.ts`). Prints medians; asserts nothing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { migrateToLatest, nowIso, openDatabase } from "../db/connection";
import { seedDatabase } from "../seeds/load";
import { loadPlanDelivery } from "../server/accountability/delivery";
import { buildBoardReport } from "../server/accountability/report-docx";
import { createDocument } from "../server/domain/documents";
import { search } from "../server/search";
import { ACCOUNTS, login, startAppServer } from "../test/helpers/app-server";

const ACTIONS = 500;
const PLAN = "bench-plan-500";
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function timeIt(label: string, runs: number, fn: () => Promise<unknown>) {
  await fn(); // warm-up
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const m = median(times);
  console.log(`${label.padEnd(58)} median ${fmt(m).padStart(10)}   min ${fmt(Math.min(...times)).padStart(10)}   max ${fmt(Math.max(...times)).padStart(10)}   (${runs} runs)`);
  return m;
}

async function buildDatabase(file: string) {
  const { db } = openDatabase(file);
  await migrateToLatest(db);
  await seedDatabase(db);
  const priorities = await db.selectFrom("priorities").select(["id"]).orderBy("position").execute();
  const organisations = (await db.selectFrom("organisations").select("id").execute()).map((o) => o.id);
  const users = await db.selectFrom("users").select(["id", "organisation_id"]).execute();
  const now = nowIso();
  const statuses = ["on_track", "at_risk", "off_track"] as const;
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("plans").values({ id: PLAN, title: "Benchmark plan of 500 actions", summary: "", strategy_id: "lets-do-it-2030", created_by: null, created_at: now }).execute();
    for (const [i, p] of priorities.entries()) {
      await trx.insertInto("plan_priorities").values({ plan_id: PLAN, priority_id: p.id, position: i + 1 }).execute();
    }
    for (const org of organisations) {
      await trx.insertInto("plan_grants").values({ plan_id: PLAN, organisation_id: org, user_id: null, role: "editor", granted_by: null, created_at: now }).execute();
    }
    for (let i = 0; i < ACTIONS; i++) {
      const id = `bench-act-${i}`;
      const documentId = `bench-doc-${i}`;
      const priority = priorities[i % priorities.length].id;
      await createDocument(trx, {
        id: documentId,
        planId: PLAN,
        kind: "action_description",
        paragraphs: [`Action ${i}: deliver the agreed outputs with partners across the borough, reporting quarterly to the board.`],
        userId: null,
        organisationId: null,
      });
      await trx
        .insertInto("actions")
        .values({ id, plan_id: PLAN, priority_id: priority, document_id: documentId, title: `Benchmark action ${i}: a deliverable with a realistic length of title`, due_label: `Q${(i % 4) + 1} 2022-23`, position: i + 1, created_by: null, created_at: now, updated_at: now })
        .execute();
      const lead = organisations[i % organisations.length];
      const support = organisations[(i + 3) % organisations.length];
      for (const [organisation_id, role] of [[lead, "lead"], [support, "support"]] as const) {
        if (role === "support" && support === lead) continue;
        await trx
          .insertInto("action_owners")
          .values({ action_id: id, organisation_id, role, status: "accepted", requested_by: null, requested_at: now, responded_by: null, responded_at: now })
          .execute();
      }
      for (let m = 0; m < 2; m++) {
        const due = ["2022-06-30", "2022-09-30", "2022-12-31", "2023-03-31"][(i + m) % 4];
        await trx
          .insertInto("milestones")
          .values({ id: `bench-ms-${i}-${m}`, action_id: id, title: `Milestone ${m + 1} of action ${i}`, due_date: due, completed_on: (i + m) % 3 === 0 ? due : null, completed_by: null, position: m + 1, removed_at: null, created_by: null, created_at: now, updated_at: now })
          .execute();
      }
      const author = users.find((u) => u.organisation_id === lead) ?? users[0];
      for (let u = 0; u < 2; u++) {
        await trx
          .insertInto("progress_updates")
          .values({ action_id: id, status: statuses[(i + u) % 3], reported_on: u ? "2022-09-15" : "2022-06-15", narrative: `Update ${u + 1} on action ${i}: progress made, next steps agreed with partners.`, mitigation: (i + u) % 3 ? "Mitigation agreed at the delivery group." : "", author_user_id: author.id, author_organisation_id: author.organisation_id, created_at: now })
          .execute();
      }
    }
  });
  return db;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdw-bench-reports-"));
const file = path.join(dir, "bench.sqlite");
let t = performance.now();
const db = await buildDatabase(file);
console.log(`Built a plan of ${ACTIONS} actions (1,000 milestones, 1,000 updates) in ${((performance.now() - t) / 1000).toFixed(1)} s; ${os.cpus().length} cores, Node ${process.version}.`);
const asAt = "2022-10-20";

console.log("\nIn process (no HTTP):");
const load = await timeIt("load delivery + evaluate RAG (500 actions)", RUNS, () => loadPlanDelivery(db, PLAN, asAt));
const delivery = await loadPlanDelivery(db, PLAN, asAt);
const meta = { planTitle: "Benchmark plan of 500 actions", partnership: "Team Bury partnership", preparedBy: "Bench", preparedOn: "2022-10-20" };
let bytes = 0;
const build = await timeIt("Word report build (docx, from loaded data)", RUNS, async () => {
  bytes = (await buildBoardReport(delivery, meta)).length;
});
const both = await timeIt("Word report: load + build", RUNS, async () => buildBoardReport(await loadPlanDelivery(db, PLAN, asAt), meta));
const planIds = ["lets-do-it-action-plan", "corporate-plan-delivery-2022-23", PLAN];
const searchMs = await timeIt("search (index refill + query, ~1,700 rows)", RUNS, () => search(db, { q: "partners board", visiblePlanIds: planIds }));
console.log(`Word report size: ${(bytes / 1024).toFixed(0)} KiB`);
await db.destroy();

console.log("\nThrough the production server (HTTP, signed in):");
const server = await startAppServer({ dbFile: file, env: { SEED_ON_EMPTY: "false" } });
try {
  const cookie = await login(server.url, ACCOUNTS.facilitator);
  const get = async (p: string) => {
    const res = await fetch(server.url + p, { headers: { Cookie: cookie } });
    if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
    return res.arrayBuffer();
  };
  const page = await timeIt("board view, server render (25 rows shown)", RUNS, () => get(`/plans/${PLAN}/board?asAt=${asAt}`));
  const all = await timeIt("board view, server render (all 500 rows)", RUNS, () => get(`/plans/${PLAN}/board?asAt=${asAt}&all=1`));
  const docx = await timeIt("GET report.docx (load + build + send)", RUNS, () => get(`/plans/${PLAN}/report.docx?asAt=${asAt}`));
  const csv = await timeIt("GET actions.csv (500 descriptions read via sync)", 5, () => get(`/plans/${PLAN}/actions.csv?asAt=${asAt}`));
  const htmlKiB = (await get(`/plans/${PLAN}/board?asAt=${asAt}&all=1`)).byteLength / 1024;
  console.log(`Board HTML with all rows: ${htmlKiB.toFixed(0)} KiB`);
  console.log("\nSummary (medians):");
  console.log(`  board render: ${fmt(page)} (25 rows), ${fmt(all)} (500 rows); load + RAG alone ${fmt(load)} (${((load / page) * 100).toFixed(0)}% of the 25-row render)`);
  console.log(`  Word report: build ${fmt(build)}, load + build ${fmt(both)}, over HTTP ${fmt(docx)} (HTTP / in-process ratio ${(docx / both).toFixed(2)})`);
  console.log(`  CSV export over HTTP: ${fmt(csv)}; search: ${fmt(searchMs)}`);
} finally {
  await server.stop();
  if (process.env.BENCH_KEEP_DB) console.log(`Kept the database: ${file}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
