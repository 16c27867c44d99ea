// `npm run backup [-- <destination file>]`: a consistent copy of the database while the server
// runs and people edit, checked before it counts as a backup; the script exits non-zero (with a
// sentence saying why) if anything is wrong.
//
// SQLite (DATABASE_FILE): SQLite's online backup API (better-sqlite3's `backup()`): pages are
// copied in steps and the copy restarts if another connection writes meanwhile, so the result is
// the database as of one moment. The copy is then checked (PRAGMA integrity_check and
// foreign_key_check) and every Yjs document in it is loaded once. Default destination:
// backups/codesign-<UTC timestamp>.sqlite beside the database file.
//
// PostgreSQL (DATABASE_URL): `pg_dump --format=custom` (scripts/backup-postgres.ts), restored into
// a scratch database where every document is loaded, then dropped. Default destination:
// backups/codesign-<UTC timestamp>.dump in the current directory.
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { openDatabaseReadOnly } from "../db/connection";
import { loadConfig } from "../server/config";
import { backupPostgres, describePostgres } from "./backup-postgres";
import { verifyDocuments, type DocumentsVerified } from "./verify-documents";

export interface BackupReport extends DocumentsVerified {
  destination: string;
  bytes: number;
  seconds: number;
}

/** Checks a SQLite database file and loads every document in it; throws on the first failure. */
export async function verifyDatabase(file: string): Promise<DocumentsVerified> {
  const { db, sqlite } = openDatabaseReadOnly(file);
  try {
    const integrity = sqlite.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") throw new Error(`integrity_check failed: ${String(integrity)}`);
    const fk = sqlite.pragma("foreign_key_check") as unknown[];
    if (fk.length > 0) throw new Error(`foreign_key_check found ${fk.length} broken references`);
    return await verifyDocuments(db);
  } finally {
    await db.destroy();
  }
}

export async function backup(source: string, destination: string): Promise<BackupReport> {
  if (!fs.existsSync(source)) throw new Error(`There is no database at ${source}; set DATABASE_FILE.`);
  if (fs.existsSync(destination)) throw new Error(`${destination} already exists; choose another name.`);
  fs.mkdirSync(path.dirname(destination), { recursive: true });
  const started = performance.now();
  const db = new SQLite(source, { fileMustExist: true });
  try {
    // A short wait for a lock, not the 5 s the server uses: the backup steps and retries.
    db.pragma("busy_timeout = 1000");
    await db.backup(destination);
  } finally {
    db.close();
  }
  // The copy is a self-contained rollback-journal database: no -wal file needed beside it.
  const copy = new SQLite(destination);
  copy.pragma("journal_mode = DELETE");
  copy.close();
  const verified = await verifyDatabase(destination);
  return { destination, bytes: fs.statSync(destination).size, seconds: (performance.now() - started) / 1000, ...verified };
}

export function backupStamp(now = new Date()): string {
  return now.toISOString().replace(/[:.]/g, "-");
}

function reportUnreadable(unreadable: string[]): void {
  if (unreadable.length === 0) return;
  console.warn(
    `${unreadable.length} of them the editor cannot read (copied as they are; restoring a version repairs each): ${unreadable.join(", ")}`,
  );
}

if (process.argv[1]?.endsWith("scripts/backup.ts")) {
  const config = loadConfig();
  const stamp = backupStamp();
  try {
    if (config.database.dialect === "postgres") {
      const destination = path.resolve(process.argv[2] ?? path.join("backups", `codesign-${stamp}.dump`));
      const r = await backupPostgres(config.database.url, destination);
      console.log(
        `Backed up ${describePostgres(config.database.url)} to ${r.destination} with pg_dump --format=custom ` +
          `(${(r.bytes / 1048576).toFixed(1)} MiB, ${r.seconds.toFixed(1)} s). Restored into a scratch database, ` +
          `${r.documents} documents load (${r.updates} updates after their snapshots); scratch database dropped.`,
      );
      reportUnreadable(r.unreadable);
    } else {
      const destination = path.resolve(
        process.argv[2] ?? path.join(path.dirname(config.databaseFile), "backups", `codesign-${stamp}.sqlite`),
      );
      const r = await backup(config.databaseFile, destination);
      console.log(
        `Backed up ${config.databaseFile} to ${r.destination} (${(r.bytes / 1048576).toFixed(1)} MiB, ${r.seconds.toFixed(1)} s). ` +
          `integrity_check ok; ${r.documents} documents load (${r.updates} updates after their snapshots).`,
      );
      reportUnreadable(r.unreadable);
    }
  } catch (error) {
    console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
