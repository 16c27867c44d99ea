/**
 * "Accept all" for one organisation in a next-year plan: every accept, its ownership history row
 * and the agreement it re-derives are one write. A failure part way (here: the agreement
 * re-derivation refused by the database) leaves nothing changed; without one, all of it lands
 * together, naming who did it.
 */
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nowIso } from "../../db/connection";
import { loadStoredDocument } from "../../db/queries/documents";
import { acceptAllRequests } from "../../server/domain/plan-cycle";
import type { Actor } from "../../server/policy";
import { seedDatabase } from "../../seeds/load";
import { ACCOUNTS } from "../helpers/app-server";
import { openFreshDatabase, refuseWrites, rowsOn, type FreshDatabase } from "../helpers/test-db";

let opened: FreshDatabase;
let planId: string;
let actor: Actor;
let actionIds: string[];
const ORG = "bury-council";

const sync = {
  async readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T> {
    const stored = await loadStoredDocument(opened.db, documentId);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.state);
    for (const u of stored.updates) Y.applyUpdate(doc, u.update);
    return read(doc);
  },
  refreshAccess: async () => {},
};

const all = <T>(sql: string, ...params: unknown[]): Promise<T[]> => rowsOn<T>(opened.db, sql, ...params);
const one = async (sql: string, ...params: unknown[]): Promise<unknown> => (await all(sql, ...params))[0];
const run = (sql: string, ...params: unknown[]): Promise<unknown> => all(sql, ...params);

async function snapshot() {
  const marks = actionIds.map(() => "?").join(", ");
  return {
    owners: await all(`select action_id, status, responded_by from action_owners where organisation_id = ? and action_id in (${marks}) order by action_id`, ORG, ...actionIds),
    history: await all(`select count(*) n from ownership_history where action_id in (${marks})`, ...actionIds),
    actions: await all(`select id, updated_at, status from actions where id in (${marks}) order by id`, ...actionIds),
    agreement: await all(`select subject_id, status, fingerprint, updated_at from agreement_state where subject_id in (${marks}) order by subject_id`, ...actionIds),
    agreementHistory: await all(`select count(*) n from agreement_history where subject_id in (${marks})`, ...actionIds),
  };
}

beforeAll(async () => {
  opened = await openFreshDatabase("accept-all");
  await seedDatabase(opened.db);
  planId = ((await one("select id from plans where previous_plan_id = 'lets-do-it-action-plan'")) as { id: string }).id;
  const editor = (await one("select id, organisation_id from users where email = ?", ACCOUNTS.councilEditor)) as { id: number; organisation_id: string };
  actor = { userId: editor.id, organisationId: editor.organisation_id, systemRole: "member" };
  // Fixture: the council has not answered yet for two of the carried actions, and partners had
  // begun signing one of them off (it has an agreement state that accepting must re-derive).
  actionIds = (
    await all<{ action_id: string }>(
      "select o.action_id from action_owners o join actions a on a.id = o.action_id where a.plan_id = ? and o.organisation_id = ? order by a.position limit 2",
      planId,
      ORG,
    )
  ).map((r) => r.action_id);
  expect(actionIds).toHaveLength(2);
  for (const id of actionIds) {
    await run("update action_owners set status = 'pending', responded_by = null, responded_at = null where action_id = ? and organisation_id = ?", id, ORG);
  }
  await run("insert into agreement_state (subject_type, subject_id, plan_id, status, fingerprint, agreed_fingerprint, agreed_at, updated_at) values ('action', ?, ?, 'proposed', 'words-signed-before', null, null, ?)", actionIds[0], planId, "2026-05-01T00:00:00.000Z");
}, 60_000);
afterAll(async () => {
  await opened?.close();
});

describe("accept all of one organisation's requests", () => {
  it("changes nothing when a part of it fails: the accepts, their history and the agreement are one transaction", async () => {
    const before = await snapshot();
    expect(before.owners.every((o) => (o as { status: string }).status === "pending")).toBe(true);
    // The last step of the operation, re-deriving agreement, is refused by the database.
    const allowAgain = await refuseWrites(opened.db, "agreement_state", "update", "injected failure");
    try {
      await expect(acceptAllRequests(opened.db, sync, actor, { planId, organisationId: ORG })).rejects.toThrow(/injected failure/);
    } finally {
      await allowAgain();
    }
    expect(await snapshot()).toEqual(before);
  });

  it("otherwise writes every accept with its history row and the re-derived agreement, naming who", async () => {
    const before = await snapshot();
    const started = nowIso();
    const done = await acceptAllRequests(opened.db, sync, actor, { planId, organisationId: ORG });
    expect(done.accepted.sort()).toEqual([...actionIds].sort());
    const after = await snapshot();
    expect(after.owners).toEqual(actionIds.map((id) => ({ action_id: id, status: "accepted", responded_by: actor.userId })).sort((a, b) => a.action_id.localeCompare(b.action_id)));
    expect(after.history).toEqual([{ n: (before.history[0] as { n: number }).n + 2 }]);
    const accepted = await all<{ actor_user_id: number; actor_organisation_id: string; from_status: string; to_status: string; created_at: string }>(
      `select actor_user_id, actor_organisation_id, from_status, to_status, created_at from ownership_history where event = 'accepted' and organisation_id = ? and action_id in (?, ?) and created_at >= ?`,
      ORG,
      actionIds[0],
      actionIds[1],
      started,
    );
    expect(accepted).toHaveLength(2);
    expect(accepted.every((h) => h.actor_user_id === actor.userId && h.actor_organisation_id === ORG && h.from_status === "pending" && h.to_status === "accepted")).toBe(true);
    // Nobody has signed the current words: the partly signed action is a draft again, with its trail row.
    const state = (await all<{ status: string; fingerprint: string }>("select status, fingerprint from agreement_state where subject_id = ?", actionIds[0]))[0]!;
    expect(state.status).toBe("draft");
    expect(state.fingerprint).not.toBe("words-signed-before");
    const trail = await all<{ from_status: string; to_status: string; cause: string; actor_user_id: number }>(
      "select from_status, to_status, cause, actor_user_id from agreement_history where subject_id = ? order by id desc limit 1",
      actionIds[0],
    );
    expect(trail).toEqual([{ from_status: "proposed", to_status: "draft", cause: "partners_changed", actor_user_id: actor.userId }]);
  });
});
