// `npm run restore -- <backup file>`: puts a backup in place of the database. Stop every node
// first. Nothing is deleted: the database that was there is moved aside, and only after the
// backup has been verified.
//
// SQLite (DATABASE_FILE, a .sqlite backup): the backup is verified (integrity_check, every document
// loads); the current file, with its -wal and -shm files, is renamed aside; the backup is copied
// into place.
//
// PostgreSQL (DATABASE_URL, a .dump from pg_dump --format=custom): the dump is restored into a new
// database beside the target and verified there; the current database is renamed to
// <name>_before_restore_<time> and the restored one takes its name (scripts/backup-postgres.ts).
import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "../server/config";
import { verifyDatabase } from "./backup";
import { describePostgres, restorePostgres } from "./backup-postgres";

export async function restore(backupFile: string, target: string): Promise<{ movedAside: string | null; documents: number }> {
  if (!fs.existsSync(backupFile)) throw new Error(`There is no backup at ${backupFile}.`);
  const { documents } = await verifyDatabase(backupFile);
  let movedAside: string | null = null;
  if (fs.existsSync(target)) {
    movedAside = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    fs.renameSync(target, movedAside);
  }
  // A stale -wal beside the restored file would be replayed into it: move those aside too.
  for (const suffix of ["-wal", "-shm"]) {
    if (fs.existsSync(target + suffix)) fs.renameSync(target + suffix, (movedAside ?? `${target}.stale`) + suffix);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(backupFile, target);
  return { movedAside, documents };
}

if (process.argv[1]?.endsWith("scripts/restore.ts")) {
  const file = process.argv[2];
  if (!file) {
    console.error("Usage: npm run restore -- <backup file>   (stop every node first)");
    process.exit(2);
  }
  const config = loadConfig();
  try {
    if (config.database.dialect === "postgres") {
      const where = describePostgres(config.database.url);
      const r = await restorePostgres(path.resolve(file), config.database.url);
      console.log(
        `Restored ${file} into ${where} (${r.seconds.toFixed(1)} s); ${r.documents} documents load.` +
          (r.movedAside
            ? ` The database that was there is kept, renamed to "${r.movedAside}" (drop it with dropdb once the restore is checked).`
            : " There was no database of that name before."),
      );
    } else {
      const r = await restore(path.resolve(file), config.databaseFile);
      console.log(
        `Restored ${file} to ${config.databaseFile}; ${r.documents} documents load.` +
          (r.movedAside ? ` The previous database is at ${r.movedAside}.` : ""),
      );
    }
  } catch (error) {
    console.error(`Restore failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
