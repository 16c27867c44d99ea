// Issue 16: the seed's delivery record and links. A report of the demo plan as at today must show
// the actions that slipped as its exceptions, not every action; and the traceability pages must
// show a real chain from recommendation 2.6 to actions and their updates.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exceptionActions } from "../../server/accountability/board-report";
import { todayInLondon } from "../../server/accountability/dates";
import { loadPlanDelivery } from "../../server/accountability/delivery";
import { seedDatabase } from "../../seeds/load";
import { openFreshDatabase, rowsOn, type FreshDatabase } from "../helpers/test-db";

const PLAN_ID = "lets-do-it-action-plan";
let opened: FreshDatabase;
beforeAll(async () => {
  opened = await openFreshDatabase("seed-delivery");
  await seedDatabase(opened.db);
});
afterAll(async () => {
  await opened?.close();
});

const all = <T>(sql: string, ...params: unknown[]): Promise<T[]> => rowsOn<T>(opened.db, sql, ...params);

describe("the demo delivery record", () => {
  it("makes the exceptions of a report as at today the actions that slipped, not every action", async () => {
    const delivery = await loadPlanDelivery(opened.db, PLAN_ID, todayInLondon());
    const exceptions = exceptionActions(delivery);
    expect(delivery.actions.length).toBeGreaterThanOrEqual(80);
    expect(exceptions.length).toBeGreaterThan(0);
    expect(exceptions.length).toBeLessThan(delivery.actions.length / 4);
    expect(delivery.actions.filter((a) => a.rag.status === "green").length).toBeGreaterThan(delivery.actions.length / 2);
    // Each slipped action says why, and what its owner is doing about it.
    const slipped = exceptions.filter((a) => a.latest && a.latest.status !== "on_track");
    expect(slipped.map((a) => a.id).sort()).toEqual(["act-p-bgi-12-6", "act-p-bgi-2-4", "act-p-core-1-6", "act-p-cyp-11-4", "act-p-ops-2-6"]);
    for (const a of slipped) expect(a.latest!.mitigation.length).toBeGreaterThan(20);
  });

  it("links actions to the recommendations and KPIs they answer: recommendation 2.6 leads to actions with updates", async () => {
    const chain = await all<{ action_id: string; updates: number }>(
      `select ar.action_id, (select count(*) from progress_updates u where u.action_id = ar.action_id) updates
         from action_recommendations ar where ar.recommendation_id = 'cpc-2021-2-6'`,
    );
    expect(chain.length).toBeGreaterThan(10);
    expect(chain.filter((c) => c.updates > 0).length).toBeGreaterThan(10);
    expect((await all("select * from action_kpis where kpi_id = 'kpi-cyp-16'")).length).toBeGreaterThan(3);
  });

  it("changes nothing when run again, and leaves alone a milestone someone has changed", async () => {
    const count = async () =>
      (await all<{ u: number; c: number; r: number; k: number }>(
        "select (select count(*) from progress_updates) u, (select count(*) from milestone_changes) c, (select count(*) from action_recommendations) r, (select count(*) from action_kpis) k",
      ))[0];
    const before = await count();
    await seedDatabase(opened.db);
    expect(await count()).toEqual(before);
  });
});
