import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDatabase } from "../../seeds/load";
import * as data from "../../seeds/data";
import { engagementProposal } from "../../seeds/data/engagement";
import { openFreshDatabase, rowsOn, type FreshDatabase } from "../helpers/test-db";

const TABLES = [
  "organisations",
  "users",
  "strategies",
  "themes",
  "departments",
  "priorities",
  "recommendations",
  "plans",
  "plan_priorities",
  "plan_grants",
  "documents",
  "document_updates",
  "actions",
  "action_owners",
  "ownership_history",
] as const;

let opened: FreshDatabase;
beforeAll(async () => {
  opened = await openFreshDatabase("seed");
});
afterAll(async () => {
  await opened?.close();
});

const rows = (sql: string, ...params: unknown[]): Promise<unknown[]> => rowsOn(opened.db, sql, ...params);
const one = async (sql: string, ...params: unknown[]): Promise<unknown> => (await rows(sql, ...params))[0];

async function counts() {
  const entries: [string, number][] = [];
  for (const t of TABLES) entries.push([t, ((await one(`select count(*) as n from ${t}`)) as { n: number }).n]);
  return Object.fromEntries(entries);
}

describe("seeding", () => {
  it("loads the partnership from the source documents into an empty database", async () => {
    expect(await seedDatabase(opened.db)).toBe(true);
    const c = await counts();
    expect(c.organisations).toBe(data.organisations.length);
    expect(c.departments).toBe(6);
    expect(c.themes).toBe(3);
    expect(c.plans).toBe(data.plans.length + 2); // + the engagement proposal and the 2026-27 plan
    const carried = ((await one("select count(*) as n from actions where carried_from_action_id is not null")) as { n: number }).n;
    expect(carried).toBe(9);
    expect(c.actions).toBe(
      data.priorities.reduce((n, p) => n + p.deliverables.length, 0) + engagementProposal.commitments.length + carried,
    );
    // Every action has its description document with server-made initial content.
    expect(c.documents).toBe(c.actions + c.plans);
    // ... plus one update per seeded comment thread, carrying its mark.
    expect(c.document_updates).toBe(c.documents + engagementProposal.threads.length);
    const recs = await rows("select code from recommendations where code in ('2.6', '2.7')");
    expect(recs).toHaveLength(2);
    const sectors = (await rows("select distinct sector from organisations")) as { sector: string }[];
    expect(sectors.map((s) => s.sector)).toEqual(expect.arrayContaining(["council", "nhs", "housing", "education", "vcf", "business"]));
    const roles = await rows("select system_role, count(*) n from users group by system_role");
    expect(roles).toEqual(expect.arrayContaining([expect.objectContaining({ system_role: "facilitator" })]));
    const hashes = (await rows("select password_hash from users")) as { password_hash: string }[];
    expect(hashes.every((h) => h.password_hash.startsWith("$argon2id$"))).toBe(true);
  });

  it("starts the 2026-27 plan from the 2022-23 one, with a red, amber and green mix around today", async () => {
    const next = (await one("select id, period_start, period_end from plans where previous_plan_id = 'lets-do-it-action-plan'")) as { id: string; period_start: string; period_end: string };
    expect(next).toMatchObject({ period_start: "2026-04-01", period_end: "2027-03-31" });
    const ids = ((await rows("select id from actions where plan_id = ?", next.id)) as { id: string }[]).map((a) => a.id);
    const { loadDeliveryForActions } = await import("../../server/accountability/delivery");
    const { todayInLondon } = await import("../../server/accountability/dates");
    const { actions } = await loadDeliveryForActions(opened.db, ids, todayInLondon());
    const colours = new Set(actions.map((a) => a.rag.status));
    expect([...colours].sort()).toEqual(["amber", "green", "red"]);
    // Carried actions link back, and their partners were asked again before re-confirming.
    const history = (await rows("select event, note from ownership_history where action_id = ? order by id", ids[0])) as { event: string; note: string }[];
    expect(history.map((h) => h.event)).toEqual(["proposed", "accepted"]);
    expect(history[0]!.note).toContain("carried from 2022-23");
  });

  it("archives the 2022-23 plan the way a facilitator does, with its audit row", async () => {
    const old = (await one("select archived_at, archived_by from plans where id = 'lets-do-it-action-plan'")) as { archived_at: string | null; archived_by: number | null };
    expect(old.archived_at).not.toBeNull();
    const facilitator = (await one("select id, organisation_id from users where system_role = 'facilitator'")) as { id: number; organisation_id: string };
    expect(old.archived_by).toBe(facilitator.id);
    const audit = (await rows("select * from audit_log where subject = 'lets-do-it-action-plan' and event like 'plan.%archived'")) as Record<string, unknown>[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ event: "plan.archived", actor_user_id: facilitator.id, actor_organisation_id: facilitator.organisation_id });
    expect(JSON.parse(String(audit[0]!.detail))).toEqual({ from: "current", to: "archived" });
    // The current plan is the one partners work in.
    const current = (await one("select archived_at from plans where previous_plan_id = 'lets-do-it-action-plan'")) as { archived_at: string | null };
    expect(current.archived_at).toBeNull();
    // Rights carry on in it: the council's scrutiny member stays a viewer there too.
    const viewer = await one("select g.role from plan_grants g join users u on u.id = g.user_id join plans p on p.id = g.plan_id where p.previous_plan_id = 'lets-do-it-action-plan' and u.email = 'margaret.hughes@bury-council.example'");
    expect(viewer).toEqual({ role: "viewer" });
  });

  it("changes nothing when run again", async () => {
    const before = await counts();
    expect(await seedDatabase(opened.db)).toBe(false);
    expect(await counts()).toEqual(before);
  });
});
