/**
 * A domain operation that makes several facts of record commits them in one transaction: creating
 * an action and naming its lead either both happen or neither does. (Before, the action was
 * committed first and the lead named after, so a lead that could not be named left an action
 * without one and an error for the person who asked.)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type OpenedDatabase } from "../../db/connection";
import { createAction } from "../../server/domain/actions";
import { DomainError } from "../../server/domain/errors";
import type { Actor } from "../../server/policy";
import { seedDatabase } from "../../seeds/load";

const FACILITATOR = "helen.ashworth@bury-council.example";

let opened: OpenedDatabase;
let actor: Actor;
let PLAN_ID: string;
let priorityId: string;
let otherOrganisationId: string;

function count(sql: string, ...params: unknown[]): number {
  return (opened.sqlite.prepare(sql).get(...params) as { n: number }).n;
}

function recordCounts() {
  return {
    actions: count("select count(*) as n from actions"),
    documents: count("select count(*) as n from documents"),
    documentUpdates: count("select count(*) as n from document_updates"),
    owners: count("select count(*) as n from action_owners"),
    history: count("select count(*) as n from ownership_history"),
  };
}

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdw-domain-trx-"));
  opened = openDatabase(path.join(dir, "domain.sqlite"));
  await migrateToLatest(opened.db);
  await seedDatabase(opened.db);
  const user = opened.sqlite.prepare("select id, organisation_id, system_role from users where email = ?").get(FACILITATOR) as {
    id: number;
    organisation_id: string;
    system_role: Actor["systemRole"];
  };
  actor = { userId: user.id, organisationId: user.organisation_id, systemRole: user.system_role };
  // The demo archives its 2022-23 plan once 2026-27 is started: add actions to a plan still open.
  PLAN_ID = (
    opened.sqlite.prepare("select id from plans where kind = 'action_plan' and archived_at is null order by created_at, id limit 1").get() as { id: string }
  ).id;
  priorityId = (
    opened.sqlite.prepare("select priority_id from plan_priorities where plan_id = ? and retired_at is null order by position limit 1").get(PLAN_ID) as {
      priority_id: string;
    }
  ).priority_id;
  otherOrganisationId = (
    opened.sqlite.prepare("select id from organisations where id != ? order by id limit 1").get(user.organisation_id) as { id: string }
  ).id;
});

afterAll(async () => {
  await opened.db.destroy();
});

describe("creating an action with its lead is one transaction", () => {
  it("a lead that cannot be named leaves no action, document or owner behind", async () => {
    const before = recordCounts();
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
    expect(recordCounts()).toEqual(before);
    expect(count("select count(*) as n from actions where title = ?", "Action whose lead does not exist")).toBe(0);
  });

  it("a lead that can be named is committed with the action and its history", async () => {
    const before = recordCounts();
    const created = await createAction(opened.db, actor, {
      planId: PLAN_ID,
      priorityId,
      title: "Action with a lead asked to take it",
      description: "",
      leadOrganisationId: otherOrganisationId,
      dueLabel: "",
    });
    const after = recordCounts();
    expect(after).toEqual({
      actions: before.actions + 1,
      documents: before.documents + 1,
      documentUpdates: before.documentUpdates + 1,
      owners: before.owners + 1,
      history: before.history + 1,
    });
    const owner = opened.sqlite.prepare("select organisation_id, role, status from action_owners where action_id = ?").get(created.id);
    expect(owner).toEqual({ organisation_id: otherOrganisationId, role: "lead", status: "pending" });
  });
});
