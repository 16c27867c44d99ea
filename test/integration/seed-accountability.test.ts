import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDatabase } from "../../seeds/load";
import { kpis } from "../../seeds/data/kpis";
import { openFreshDatabase, rowsOn, type FreshDatabase } from "../helpers/test-db";

let opened: FreshDatabase;
beforeAll(async () => {
  opened = await openFreshDatabase("seed-acc");
  await seedDatabase(opened.db);
});
afterAll(async () => {
  await opened?.close();
});

const all = <T>(sql: string): Promise<T[]> => rowsOn<T>(opened.db, sql);

describe("accountability seed data", () => {
  it("loads the Corporate Plan's KPIs by department, and the default RAG rules", async () => {
    expect((await all<{ n: number }>("select count(*) n from kpis"))[0].n).toBe(kpis.length);
    const byDept = await all<{ department_id: string; n: number }>("select department_id, count(*) n from kpis group by department_id order by department_id");
    expect(byDept).toEqual([
      { department_id: "business-growth-and-infrastructure", n: 8 },
      { department_id: "children-and-young-people", n: 21 },
      { department_id: "corporate-core-services", n: 19 },
      { department_id: "finance", n: 12 },
      { department_id: "one-commissioning-organisation", n: 15 },
      { department_id: "operations", n: 12 },
    ]);
    expect(await all<{ id: string }>("select id from rag_rules where enabled = 1")).toHaveLength(7);
  });

  it("gives every seeded action its deliverable as a milestone due at the end of its 2022-23 quarter", async () => {
    const rows = await all<{ due_label: string; due_date: string }>(
      "select a.due_label, m.due_date from actions a join milestones m on m.action_id = a.id where a.id like 'act-p-%'",
    );
    // Every Corporate Plan deliverable (ids act-p-*); engagement commitments carry no deliverable.
    expect(rows.length).toBe((await all<{ n: number }>("select count(*) n from actions where id like 'act-p-%'"))[0].n);
    expect(rows.length).toBe(200);
    const end: Record<string, string> = { "Q1 2022-23": "2022-06-30", "Q2 2022-23": "2022-09-30", "Q3 2022-23": "2022-12-31", "Q4 2022-23": "2023-03-31" };
    for (const r of rows) expect(r.due_date).toBe(end[r.due_label]);
    expect(await all("select * from milestone_changes where event = 'created' and action_id like 'act-p-%'")).toHaveLength(rows.length);
  });

  it("changes nothing when run again", async () => {
    const count = async () => (await all<{ k: number; m: number; c: number }>("select (select count(*) from kpis) k, (select count(*) from milestones) m, (select count(*) from milestone_changes) c"))[0];
    const before = await count();
    await seedDatabase(opened.db);
    expect(await count()).toEqual(before);
  });
});
