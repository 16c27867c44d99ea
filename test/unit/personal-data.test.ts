/**
 * Personal data (issue 13): the map of which columns point at a person covers the migrated schema,
 * GUEST_RETENTION_DAYS is validated, and the retention job erases the guest names of workshops
 * closed longer ago than that (called with a date, on a migrated and seeded database).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type OpenedDatabase } from "../../db/connection";
import { PARTICIPANT_COLUMNS, USER_COLUMNS } from "../../db/queries/personal-data";
import { loadConfig } from "../../server/config";
import { eraseExpiredGuestNames, GUEST_LABEL } from "../../server/domain/personal-data";
import { seedDatabase } from "../../seeds/load";

let opened: OpenedDatabase;
beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdw-personal-data-"));
  opened = openDatabase(path.join(dir, "pd.sqlite"));
  await migrateToLatest(opened.db);
  await seedDatabase(opened.db);
}, 60_000);
afterAll(async () => {
  await opened?.db.destroy();
});

describe("which columns point at a person", () => {
  it("every table is in USER_COLUMNS, and every *_by, *user_id and participant column of the database is listed", () => {
    const tables = (opened.sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'").all() as { name: string }[]).map((t) => t.name);
    expect(tables.filter((t) => !(t in USER_COLUMNS))).toEqual([]);
    const missing: string[] = [];
    for (const table of tables) {
      const columns = (opened.sqlite.prepare("select name from pragma_table_info(?)").all(table) as { name: string }[]).map((c) => c.name);
      for (const c of columns) {
        const personal = /(^|_)user_id$|_by$/.test(c);
        const asParticipant = c === "participant_id";
        const listed = (USER_COLUMNS as Record<string, readonly string[]>)[table]!.includes(c) || (PARTICIPANT_COLUMNS as Record<string, string>)[table] === c;
        if ((personal || asParticipant) && !listed) missing.push(`${table}.${c}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("GUEST_RETENTION_DAYS", () => {
  it("defaults to 90 and refuses what is not a whole number of days with a sentence", () => {
    expect(loadConfig({ NODE_ENV: "test" }).guestRetentionDays).toBe(90);
    expect(loadConfig({ NODE_ENV: "test", GUEST_RETENTION_DAYS: "30" }).guestRetentionDays).toBe(30);
    expect(() => loadConfig({ NODE_ENV: "test", GUEST_RETENTION_DAYS: "soon" })).toThrow(/GUEST_RETENTION_DAYS: write a whole number of days/);
    expect(() => loadConfig({ NODE_ENV: "test", GUEST_RETENTION_DAYS: "0" })).toThrow(/GUEST_RETENTION_DAYS: keep guests' names at least 1 day/);
    expect(() => loadConfig({ NODE_ENV: "test", GUEST_RETENTION_DAYS: "1.5" })).toThrow(/GUEST_RETENTION_DAYS/);
  });
});

describe("the daily job erasing guest names", () => {
  it("erases guests' names of workshops closed more than the retention ago, keeps their ideas, leaves recent ones and members alone, and is idempotent", async () => {
    const s = opened.sqlite;
    const now = new Date("2027-06-01T09:00:00.000Z");
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
    const plan = (s.prepare("select id from plans order by id limit 1").get() as { id: string }).id;
    const member = s.prepare("select id, name, organisation_id from users order by id limit 1").get() as { id: number; name: string; organisation_id: string };
    const workshop = (id: string, closedDaysAgo: number | null) => {
      s.prepare(
        "insert into workshops (id, plan_id, title, scheduled_for, status, guest_code, created_at, closed_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
      ).run(id, plan, `Workshop ${id}`, daysAgo(200), closedDaysAgo === null ? "live" : "closed", `code-${id}`, daysAgo(200), closedDaysAgo === null ? null : daysAgo(closedDaysAgo));
      const item = s.prepare("insert into workshop_items (workshop_id, position, title, kind, time_box_minutes, created_at) values (?, 0, 'Item', 'general', 10, ?)").run(id, daysAgo(200)).lastInsertRowid;
      const guest = s.prepare("insert into workshop_participants (workshop_id, user_id, display_name, kind, joined_at) values (?, null, ?, 'guest', ?)").run(id, `Guest Person ${id}`, daysAgo(200)).lastInsertRowid;
      s.prepare("insert into workshop_participants (workshop_id, user_id, organisation_id, display_name, kind, joined_at) values (?, ?, ?, ?, 'participant', ?)").run(id, member.id, member.organisation_id, member.name, daysAgo(200));
      s.prepare("insert into workshop_ideas (workshop_id, item_id, participant_id, text, created_at) values (?, ?, ?, 'A lunch club at the library', ?)").run(id, item, guest, daysAgo(200));
      s.prepare("insert into workshop_guest_sessions (token_hash, workshop_id, participant_id, created_at, expires_at) values (?, ?, ?, ?, ?)").run(`hash-${id}`, id, guest, daysAgo(200), daysAgo(199));
    };
    workshop("old", 91);
    workshop("recent", 89);
    workshop("open", null);
    const names = (id: string) => (s.prepare("select display_name from workshop_participants where workshop_id = ? order by id").all(id) as { display_name: string }[]).map((r) => r.display_name);

    expect(await eraseExpiredGuestNames(opened.db, now, 90)).toEqual({ workshops: 1, guests: 1 });
    expect(names("old")).toEqual([GUEST_LABEL, member.name]);
    expect(names("recent")).toEqual(["Guest Person recent", member.name]);
    expect(names("open")).toEqual(["Guest Person open", member.name]);
    expect((s.prepare("select count(*) as n from workshop_ideas where workshop_id = 'old'").get() as { n: number }).n).toBe(1);
    expect((s.prepare("select count(*) as n from workshop_guest_sessions where workshop_id = 'old'").get() as { n: number }).n).toBe(0);
    expect((s.prepare("select count(*) as n from audit_log where event = 'workshop.guest_names_erased' and subject = 'old'").get() as { n: number }).n).toBe(1);

    expect(await eraseExpiredGuestNames(opened.db, now, 90)).toEqual({ workshops: 0, guests: 0 });
    // Two days later the other one is due too.
    expect(await eraseExpiredGuestNames(opened.db, new Date(now.getTime() + 2 * 86_400_000), 90)).toEqual({ workshops: 1, guests: 1 });
    expect(names("recent")).toEqual([GUEST_LABEL, member.name]);
  });
});
