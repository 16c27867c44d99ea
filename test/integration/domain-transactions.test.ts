/**
 * A domain operation that makes several facts of record commits them in one transaction: creating
 * an action and naming its lead either both happen or neither does. (Before, the action was
 * committed first and the lead named after, so a lead that could not be named left an action
 * without one and an error for the person who asked.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAction } from "../../server/domain/actions";
import { DomainError } from "../../server/domain/errors";
import type { Actor } from "../../server/policy";
import { seedDatabase } from "../../seeds/load";
import { openFreshDatabase, rowsOn, type FreshDatabase } from "../helpers/test-db";

const FACILITATOR = "helen.ashworth@bury-council.example";

let opened: FreshDatabase;
let actor: Actor;
let PLAN_ID: string;
let priorityId: string;
let otherOrganisationId: string;

const one = async <T>(sql: string, ...params: unknown[]): Promise<T> => (await rowsOn<T>(opened.db, sql, ...params))[0]!;
const count = async (sql: string, ...params: unknown[]): Promise<number> => (await one<{ n: number }>(sql, ...params)).n;

async function recordCounts() {
  return {
    actions: await count("select count(*) as n from actions"),
    documents: await count("select count(*) as n from documents"),
    documentUpdates: await count("select count(*) as n from document_updates"),
    owners: await count("select count(*) as n from action_owners"),
    history: await count("select count(*) as n from ownership_history"),
  };
}

beforeAll(async () => {
  opened = await openFreshDatabase("domain-trx");
  await seedDatabase(opened.db);
  const user = await one<{ id: number; organisation_id: string; system_role: Actor["systemRole"] }>(
    "select id, organisation_id, system_role from users where email = ?",
    FACILITATOR,
  );
  actor = { userId: user.id, organisationId: user.organisation_id, systemRole: user.system_role };
  // The demo archives its 2022-23 plan once 2026-27 is started: add actions to a plan still open.
  PLAN_ID = (await one<{ id: string }>("select id from plans where kind = 'action_plan' and archived_at is null order by created_at, id limit 1")).id;
  priorityId = (
    await one<{ priority_id: string }>("select priority_id from plan_priorities where plan_id = ? and retired_at is null order by position limit 1", PLAN_ID)
  ).priority_id;
  otherOrganisationId = (await one<{ id: string }>("select id from organisations where id != ? order by id limit 1", user.organisation_id)).id;
});

afterAll(async () => {
  await opened?.close();
});

describe("creating an action with its lead is one transaction", () => {
  it("a lead that cannot be named leaves no action, document or owner behind", async () => {
    const before = await recordCounts();
    const attempt = createAction(opened.db, actor, {
      planId: PLAN_ID,
      priorityId,
      title: "Action whose lead does not exist",
      description: "First paragraph.",
      leadOrganisationId: "no-such-organisation",
      dueLabel: "",
    });
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toMatchObject({ status: 400 });
    expect(await recordCounts()).toEqual(before);
    expect(await count("select count(*) as n from actions where title = ?", "Action whose lead does not exist")).toBe(0);
  });

  it("a lead that can be named is committed with the action and its history", async () => {
    const before = await recordCounts();
    const created = await createAction(opened.db, actor, {
      planId: PLAN_ID,
      priorityId,
      title: "Action with a lead asked to take it",
      description: "",
      leadOrganisationId: otherOrganisationId,
      dueLabel: "",
    });
    const after = await recordCounts();
    expect(after).toEqual({
      actions: before.actions + 1,
      documents: before.documents + 1,
      documentUpdates: before.documentUpdates + 1,
      owners: before.owners + 1,
      history: before.history + 1,
    });
    const owner = await one("select organisation_id, role, status from action_owners where action_id = ?", created.id);
    expect(owner).toEqual({ organisation_id: otherOrganisationId, role: "lead", status: "pending" });
  });
});
