/**
 * A fresh PostgreSQL database for one test file: `codesign_test_<random>`, created on the server at
 * PGHOST:PGPORT (default 127.0.0.1:5432) as PGUSER (default postgres, trust auth as on the
 * development machines and after `.ci/run`), dropped when the file is done. Tests never share a
 * database, so they may run in parallel and leave nothing behind.
 */
import crypto from "node:crypto";
import pg from "pg";

export interface TestPostgres {
  name: string;
  /** postgres://… for DATABASE_URL or openPostgres. */
  url: string;
  drop(): Promise<void>;
}

export function postgresServerUrl(database = "postgres"): string {
  const host = process.env.PGHOST || "127.0.0.1";
  const port = process.env.PGPORT || "5432";
  const user = encodeURIComponent(process.env.PGUSER || "postgres");
  const password = process.env.PGPASSWORD ? `:${encodeURIComponent(process.env.PGPASSWORD)}` : "";
  return `postgres://${user}${password}@${host.includes(":") ? `[${host}]` : host}:${port}/${database}`;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresServerUrl() });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not answering at ${postgresServerUrl()} (${String(error)}). Start it (see the README, "Test services"), or set PGHOST/PGPORT/PGUSER.`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestPostgres> {
  const name = `codesign_test_${crypto.randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`create database ${name}`));
  return {
    name,
    url: postgresServerUrl(name),
    drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

/** The vitest "postgres" project sets this: servers and databases the tests make are PostgreSQL. */
export function testsRunOnPostgres(): boolean {
  return process.env.CODESIGN_TEST_DIALECT === "postgres";
}

const planned = new Map<string, { created: boolean }>();

/** The address of a database this test file will use; made by ensureTestDatabase, dropped after. */
export function plannedTestDatabaseUrl(): string {
  const name = `codesign_test_${crypto.randomBytes(6).toString("hex")}`;
  planned.set(name, { created: false });
  return postgresServerUrl(name);
}

export async function ensureTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const entry = planned.get(name);
  if (!entry || entry.created) return;
  await admin((c) => c.query(`create database ${name}`));
  entry.created = true;
}

/** After a test file (test/helpers/postgres-setup.ts): every database it made is dropped. */
export async function dropPlannedDatabases(): Promise<void> {
  for (const [name, entry] of planned) {
    if (entry.created) await admin((c) => c.query(`drop database if exists ${name} with (force)`));
  }
  planned.clear();
}
