/**
 * Keeps the data layer in one place: every Kysely query is built under db/ (per-entity modules in
 * db/queries/, each function taking the database or a transaction first), and db/ depends on nothing
 * above it. Files that still build queries are listed in NOT_YET_MOVED while they are being moved;
 * the list may only shrink, and a listed file that no longer builds queries fails the test too, so
 * the list cannot go stale.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");

/** Calls that build or run a query: the four statement builders, a transaction, a raw `sql` template. */
const QUERY_BUILDER = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\s*\(|\.transaction\s*\(\s*\)|\bsql\s*(<[^`;]*?>)?\s*`/;

const NOT_YET_MOVED = new Set<string>([
  "server/domain/agreement.ts",
]);

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

  it("no file outside db/ builds a query, except those not yet moved", () => {
    const offenders = scanned.filter((f) => buildsQueries(f) && !NOT_YET_MOVED.has(f));
    expect(offenders, "move these queries into db/queries/<entity>.ts").toEqual([]);
  });

  it("every file on the not-yet-moved list still builds queries (take moved files off the list)", () => {
    const moved = [...NOT_YET_MOVED].filter((f) => !fs.existsSync(path.join(ROOT, f)) || !buildsQueries(f));
    expect(moved, "these no longer build queries: remove them from NOT_YET_MOVED").toEqual([]);
  });

  it("routes (app/) build no queries at all", () => {
    expect([...NOT_YET_MOVED].filter((f) => f.startsWith("app/"))).toEqual([]);
    expect(scanned.filter((f) => f.startsWith("app/") && buildsQueries(f))).toEqual([]);
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
