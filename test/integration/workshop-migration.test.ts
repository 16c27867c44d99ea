import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Migrator } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type OpenedDatabase } from "../../db/connection";
import { migrations } from "../../db/migrations";

let opened: OpenedDatabase | null = null;

afterAll(async () => {
  await opened?.db.destroy();
});

describe("migration 0008 on a database that already holds workshops", () => {
  it("keeps every idea and every reference to it while letting ideas have no participant", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdw-m0008-"));
    opened = openDatabase(path.join(dir, "m.sqlite"));
    const migrator = new Migrator({ db: opened.db, provider: { getMigrations: async () => migrations } });
    const before = await migrator.migrateTo("0007_planning_cycle");
    expect(before.error).toBeUndefined();
    // One plan written directly in the schema of 0007: today's seed runs today's domain code,
    // which needs today's columns.
    const raw = opened.sqlite;
    const now = new Date().toISOString();
    const planId = "plan-m";
    raw.prepare("insert into plans (id, title, created_at) values (?, 'Old plan', ?)").run(planId, now);
    raw.prepare("insert into workshops (id, plan_id, title, scheduled_for, status, guest_code, created_at) values ('wsh-m', ?, 'Old', '2026-01-01T10:00', 'live', 'MIGRATE1', ?)").run(planId, now);
    const item = raw.prepare("insert into workshop_items (workshop_id, position, title, kind, time_box_minutes, created_at) values ('wsh-m', 1, 'I', 'general', 10, ?)").run(now).lastInsertRowid;
    const person = raw.prepare("insert into workshop_participants (workshop_id, display_name, kind, joined_at) values ('wsh-m', 'Dee', 'guest', ?)").run(now).lastInsertRowid;
    const a = raw.prepare("insert into workshop_ideas (workshop_id, item_id, participant_id, text, created_at) values ('wsh-m', ?, ?, 'Kept A', ?)").run(item, person, now).lastInsertRowid;
    raw.prepare("insert into workshop_ideas (workshop_id, item_id, participant_id, text, merged_into_id, created_at) values ('wsh-m', ?, ?, 'Kept B', ?, ?)").run(item, person, a, now);
    const vote = raw.prepare("insert into workshop_votes (workshop_id, item_id, title, subject, allowance, status, opened_at) values ('wsh-m', ?, 'V', 'ideas', 1, 'closed', ?)").run(item, now).lastInsertRowid;
    raw.prepare("insert into workshop_vote_options (vote_id, position, label, idea_id) values (?, 1, 'Kept A', ?)").run(vote, a);
    raw.prepare("insert into workshop_decisions (workshop_id, item_id, text, idea_id, created_at) values ('wsh-m', ?, 'D', ?, ?)").run(item, a, now);

    await migrateToLatest(opened.db);

    expect(raw.prepare("select text, participant_id, merged_into_id from workshop_ideas where workshop_id = 'wsh-m' order by id").all()).toEqual([
      { text: "Kept A", participant_id: Number(person), merged_into_id: null },
      { text: "Kept B", participant_id: Number(person), merged_into_id: Number(a) },
    ]);
    expect(raw.pragma("foreign_key_check")).toEqual([]);
    expect(raw.pragma("foreign_keys", { simple: true })).toBe(1);
    // References to ideas still hold: a vote option cannot point at an idea that is not there.
    expect(() => raw.prepare("insert into workshop_vote_options (vote_id, position, label, idea_id) values (?, 2, 'x', 999999)").run(vote)).toThrow(/FOREIGN KEY/);
    raw.prepare("insert into workshop_ideas (workshop_id, item_id, participant_id, text, created_at) values ('wsh-m', ?, null, 'Anonymous', ?)").run(item, now);
    expect(raw.prepare("select count(*) n from workshop_ideas where participant_id is null").get()).toEqual({ n: 1 });
  });
});
