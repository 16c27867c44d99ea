/**
 * Issue 14: a new lead does not remove the current one. Asking another organisation to take over
 * as lead leaves the current lead in place until the request is accepted; a decline leaves things
 * as they were; acceptance makes the new lead and the old lead steps down to supporting partner,
 * in one transaction with its history and the agreement it re-derives.
 */
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStoredDocument } from "../../db/queries/documents";
import { nameOwner, removeOwner, respondToOwnership } from "../../server/domain/ownership";
import { unfinishedActions } from "../../server/domain/plan-cycle";
import type { Actor } from "../../server/policy";
import { seedDatabase } from "../../seeds/load";
import { ACCOUNTS } from "../helpers/app-server";
import { openFreshDatabase, refuseWrites, rowsOn, type FreshDatabase } from "../helpers/test-db";

let opened: FreshDatabase;
let council: Actor;
let housing: Actor;
let planId: string;
const COUNCIL = "bury-council";
const HOUSING = "six-town-housing";

const sync = {
  async readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T> {
    const stored = await loadStoredDocument(opened.db, documentId);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.state);
    for (const u of stored.updates) Y.applyUpdate(doc, u.update);
    return read(doc);
  },
};

const all = <T>(sql: string, ...params: unknown[]): Promise<T[]> => rowsOn<T>(opened.db, sql, ...params);
const one = async (sql: string, ...params: unknown[]): Promise<unknown> => (await all(sql, ...params))[0];
const run = (sql: string, ...params: unknown[]): Promise<unknown> => all(sql, ...params);
const owners = (actionId: string) =>
  all<{ organisation_id: string; role: string; status: string }>(
    "select organisation_id, role, status from action_owners where action_id = ? order by organisation_id",
    actionId,
  );

async function actorOf(email: string): Promise<Actor> {
  const u = (await one("select id, organisation_id, system_role from users where email = ?", email)) as {
    id: number;
    organisation_id: string;
    system_role: Actor["systemRole"];
  };
  return { userId: u.id, organisationId: u.organisation_id, systemRole: u.system_role };
}

/** Actions of the open plan led (accepted) by the council, the housing association not on them: one per test. */
let fixtures: string[] = [];

beforeAll(async () => {
  opened = await openFreshDatabase("lead-handover");
  await seedDatabase(opened.db);
  council = await actorOf(ACCOUNTS.councilEditor);
  housing = await actorOf(ACCOUNTS.housingEditor);
  planId = (
    (await one("select id from plans where kind = 'action_plan' and archived_at is null order by created_at, id limit 1")) as { id: string }
  ).id;
  fixtures = (
    await all<{ id: string }>(
    `select a.id from actions a join action_owners o on o.action_id = a.id and o.role = 'lead' and o.status = 'accepted' and o.organisation_id = ?
     where a.plan_id = ? and not exists (select 1 from action_owners h where h.action_id = a.id and h.organisation_id = ?)
     order by a.position limit 4`,
    COUNCIL,
    planId,
    HOUSING,
    )
  ).map((r) => r.id);
  expect(fixtures).toHaveLength(4);
}, 60_000);
afterAll(async () => {
  await opened?.close();
});

describe("handing over the lead", () => {
  it("keeps the current lead while the new one is asked, and a decline leaves things as they were", async () => {
    const actionId = fixtures[0]!;
    const before = await owners(actionId);
    const named = await nameOwner(opened.db, council, { actionId, organisationId: HOUSING, role: "lead" }, sync);
    expect(named.summary).toContain("Six Town Housing asked to take over as lead");
    expect(await owners(actionId)).toEqual(
      [...before, { organisation_id: HOUSING, role: "lead", status: "pending" }].sort((a, b) => a.organisation_id.localeCompare(b.organisation_id)),
    );
    await respondToOwnership(opened.db, housing, { actionId, organisationId: HOUSING, accept: false }, sync);
    expect(await owners(actionId)).toEqual(before);
    const trail = await all<{ organisation_id: string; event: string }>(
      "select organisation_id, event from ownership_history where action_id = ? order by id desc limit 2",
      actionId,
    );
    expect(trail).toEqual([
      { organisation_id: HOUSING, event: "declined" },
      { organisation_id: HOUSING, event: "proposed" },
    ]);
  });

  it("shows a lead request as a request, beside the lead, to a facilitator starting the next plan", async () => {
    // An unfinished action (the next plan offers only those) led by the council, not used by the other tests.
    const candidate = (await unfinishedActions(opened.db, planId)).find(
      (a) => !fixtures.includes(a.id) && a.owners.some((o) => o.organisationId === COUNCIL && o.role === "lead") && !a.owners.some((o) => o.organisationId === HOUSING),
    );
    expect(candidate).toBeDefined();
    await nameOwner(opened.db, council, { actionId: candidate!.id, organisationId: HOUSING, role: "lead" }, sync);
    const carried = (await unfinishedActions(opened.db, planId)).find((a) => a.id === candidate!.id);
    expect(carried?.owners.filter((o) => o.role === "lead").map((o) => [o.organisationId, o.status]).sort()).toEqual([
      [COUNCIL, candidate!.owners.find((o) => o.organisationId === COUNCIL)!.status],
      [HOUSING, "pending"],
    ]);
    await respondToOwnership(opened.db, housing, { actionId: candidate!.id, organisationId: HOUSING, accept: false }, sync);
  });

  it("a supporting partner asked to lead who declines is still a supporting partner", async () => {
    const actionId = fixtures[1]!;
    await nameOwner(opened.db, council, { actionId, organisationId: HOUSING, role: "support" }, sync);
    await respondToOwnership(opened.db, housing, { actionId, organisationId: HOUSING, accept: true }, sync);
    const before = await owners(actionId);
    expect(before).toContainEqual({ organisation_id: HOUSING, role: "support", status: "accepted" });
    await nameOwner(opened.db, council, { actionId, organisationId: HOUSING, role: "lead" }, sync);
    expect((await owners(actionId)).filter((o) => o.role === "lead")).toHaveLength(2);
    await respondToOwnership(opened.db, housing, { actionId, organisationId: HOUSING, accept: false }, sync);
    expect(await owners(actionId)).toEqual(before);
  });

  it("on acceptance the new organisation leads and the old lead stays on as a supporting partner", async () => {
    const actionId = fixtures[2]!;
    await nameOwner(opened.db, council, { actionId, organisationId: HOUSING, role: "lead" }, sync);
    const accepted = await respondToOwnership(opened.db, housing, { actionId, organisationId: HOUSING, accept: true }, sync);
    expect(accepted.summary).toContain("Bury Council");
    const after = await owners(actionId);
    expect(after.find((o) => o.organisation_id === HOUSING)).toEqual({ organisation_id: HOUSING, role: "lead", status: "accepted" });
    expect(after.find((o) => o.organisation_id === COUNCIL)).toEqual({ organisation_id: COUNCIL, role: "support", status: "accepted" });
    const trail = await all<{ organisation_id: string; event: string; to_role: string | null }>(
      "select organisation_id, event, to_role from ownership_history where action_id = ? order by id desc limit 2",
      actionId,
    );
    expect(trail).toEqual(
      expect.arrayContaining([
        { organisation_id: HOUSING, event: "accepted", to_role: "lead" },
        { organisation_id: COUNCIL, event: "role_changed", to_role: "support" },
      ]),
    );
  });

  it("accepting, its history and the agreement it re-derives are one transaction", async () => {
    const actionId = fixtures[3]!;
    await nameOwner(opened.db, council, { actionId, organisationId: HOUSING, role: "support" }, sync);
    await run("insert into agreement_state (subject_type, subject_id, plan_id, status, fingerprint, agreed_fingerprint, agreed_at, updated_at) values ('action', ?, ?, 'proposed', 'words-signed-before', null, null, ?)", actionId, planId, "2026-05-01T00:00:00.000Z");
    const before = { owners: await owners(actionId), history: await all("select count(*) n from ownership_history where action_id = ?", actionId) };
    const allowAgain = await refuseWrites(opened.db, "agreement_state", "update", "injected failure");
    try {
      await expect(respondToOwnership(opened.db, housing, { actionId, organisationId: HOUSING, accept: true }, sync)).rejects.toThrow(/injected failure/);
      await expect(removeOwner(opened.db, housing, { actionId, organisationId: HOUSING }, sync)).rejects.toThrow(/injected failure/);
    } finally {
      await allowAgain();
    }
    expect({ owners: await owners(actionId), history: await all("select count(*) n from ownership_history where action_id = ?", actionId) }).toEqual(before);
  });
});
