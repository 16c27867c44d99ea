/**
 * What a database must be before the server serves it. A local start (no PUBLIC_ORIGINS) keeps
 * the demo: an empty database is seeded and every page says it is demo data. A real deployment
 * never loads demo data, refuses to start while any account has the published demo password, and
 * on an empty database starts with no accounts and says how to create the first administrator.
 */
import type { DB } from "../db/connection";
import { anyUserWithEmail, countUsers, listPasswordHashes } from "../db/queries/accounts";
import { DEMO_PASSWORD, users as demoUsers } from "../seeds/data";
import { seedDatabase } from "../seeds/load";
import { verifyPassword } from "./auth/passwords";
import type { Config } from "./config";
import type { Logger } from "./log";

export const CREATE_ADMIN_COMMAND =
  'npm run create-admin -- --email you@your-organisation.example --name "Your Name" --organisation "Your Organisation"';

export interface InstallState {
  /** The database holds the Team Bury demo accounts: pages say so. */
  demo: boolean;
}

export class InstallRefusal extends Error {
  override name = "InstallRefusal";
}

export async function prepareDatabase(db: DB, config: Config, log: Logger): Promise<InstallState> {
  if (config.realDeployment) {
    await refuseDemoPasswords(db);
    const users = await countUsers(db);
    if (users === 0) {
      log.warn({ command: CREATE_ADMIN_COMMAND }, "no accounts yet: create the first administrator");
      process.stderr.write(
        `\nThis workspace has no accounts yet. Create the first administrator with:\n\n  ${CREATE_ADMIN_COMMAND}\n\n` +
          `(with DATABASE_FILE=${config.databaseFile} set as for the server; the password is read from the terminal or stdin)\n\n`,
      );
    }
  } else if (config.seedOnEmpty) {
    const seeded = await seedDatabase(db);
    if (seeded) log.info({ database: config.database.dialect === "sqlite" ? config.database.file : "postgres" }, "seeded an empty database with the demo data");
  }
  return { demo: await holdsDemoAccounts(db) };
}

async function holdsDemoAccounts(db: DB): Promise<boolean> {
  const emails = demoUsers.map((u) => u.email);
  return anyUserWithEmail(db, emails);
}

/** Every account is checked, not only the seeded addresses: a copied demo password is as public. */
async function refuseDemoPasswords(db: DB): Promise<void> {
  const rows = await listPasswordHashes(db);
  const exposed: string[] = [];
  // argon2 runs on libuv's thread pool: four at a time keeps the start-up check off the event loop.
  for (let i = 0; i < rows.length; i += 4) {
    const batch = rows.slice(i, i + 4);
    const hits = await Promise.all(batch.map((r) => verifyPassword(r.password_hash, DEMO_PASSWORD)));
    batch.forEach((r, j) => hits[j] && exposed.push(r.email));
  }
  if (exposed.length === 0) return;
  const list = exposed.slice(0, 5).join(", ") + (exposed.length > 5 ? ` and ${exposed.length - 5} more` : "");
  const message =
    `Refusing to start: PUBLIC_ORIGINS is set (a real deployment) but ${exposed.length} account(s) in ${"the database"} ` +
    `use the published demo password (${list}). To fix it, point DATABASE_FILE at a new, empty database and create ` +
    `the first administrator with \`${CREATE_ADMIN_COMMAND}\`; or, to run the local demo, unset PUBLIC_ORIGINS.`;
  process.stderr.write(`\n${message}\n\n`);
  throw new InstallRefusal(message);
}
