/**
 * Keeps the data layer in one place: every Kysely query is built under db/ (per-entity modules in
 * db/queries/, each function taking the database or a transaction first), and db/ depends on nothing
 * above it. Every file has moved (the list of files still to move is gone): any query built under
 * app/, server/ or seeds/ fails the scan, so a new one is written in db/queries/ from the start.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");

/** Calls that build or run a query: the four statement builders, a transaction, a raw `sql` template. */
const QUERY_BUILDER = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\s*\(|\.transaction\s*\(\s*\)|\bsql\s*(<[^`;]*?>)?\s*`/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

/** Drops comments so a comment that mentions `db.selectFrom(` is not taken for a query. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

function buildsQueries(file: string): boolean {
  return QUERY_BUILDER.test(withoutComments(fs.readFileSync(path.join(ROOT, file), "utf8")));
}

const scanned = ["app", "server", "seeds"].flatMap(sourceFiles);

describe("one data layer", () => {
  it("the scan recognises a query builder, a transaction and a sql template", () => {
    expect(QUERY_BUILDER.test(`await db.selectFrom("plans").selectAll().execute()`)).toBe(true);
    expect(QUERY_BUILDER.test(`db\n  .insertInto("plans")`)).toBe(true);
    expect(QUERY_BUILDER.test(`await db.transaction().execute(async (trx) => {})`)).toBe(true);
    expect(QUERY_BUILDER.test("sql<number>`count(*)`")).toBe(true);
    expect(QUERY_BUILDER.test("await sql`select 1`.execute(db)")).toBe(true);
    expect(QUERY_BUILDER.test(`await listPlans(db, actor)`)).toBe(false);
    expect(buildsQueries("db/queries/plans.ts")).toBe(true);
  });

  it("scans the routes, the server and the seeds (an empty scan would pass anything)", () => {
    for (const dir of ["app/", "server/", "seeds/"]) expect(scanned.filter((f) => f.startsWith(dir)).length, dir).toBeGreaterThan(0);
    expect(scanned).toContain("server/domain/agreement.ts");
  });

  it("no file outside db/ builds a query", () => {
    const offenders = scanned.filter((f) => buildsQueries(f));
    expect(offenders, "move these queries into db/queries/<entity>.ts").toEqual([]);
  });

  it("server/app.ts wires the server without seeding: the prepare step is passed in by server/index.ts", () => {
    const app = fs.readFileSync(path.join(ROOT, "server/app.ts"), "utf8");
    expect(app).not.toMatch(/from\s+["'](\.\.\/seeds\/[^"']*|\.\/install)["']/);
    expect(fs.readFileSync(path.join(ROOT, "server/index.ts"), "utf8")).toMatch(/startServer\(config, log, \{ prepareDatabase \}\)/);
  });

  it("db/ imports nothing from server/ or app/", () => {
    const upward = sourceFiles("db").flatMap((file) => {
      const source = fs.readFileSync(path.join(ROOT, file), "utf8");
      const specifiers = [...source.matchAll(/(?:import|export)[^'"`;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map(
        (m) => m[1] ?? m[2],
      );
      return specifiers
        .filter((s) => s.startsWith(".") || s.startsWith("~/"))
        .map((s) => (s.startsWith("~/") ? path.posix.join("app", s.slice(2)) : path.posix.normalize(path.posix.join(path.posix.dirname(file), s))))
        .filter((target) => !target.startsWith("db/") && target !== "db")
        .map((target) => `${file} -> ${target}`);
    });
    expect(upward).toEqual([]);
  });
});
