// `npm run backup [-- <destination file>]`: a consistent copy of DATABASE_FILE while the server
// runs and people edit, through SQLite's online backup API (better-sqlite3's `backup()`): pages
// are copied in steps and the copy restarts if another connection writes meanwhile, so the result
// is the database as of one moment. The copy is then checked (PRAGMA integrity_check) and every
// Yjs document in it is loaded once; the script exits non-zero if anything is wrong.
//
// Default destination: backups/codesign-<UTC timestamp>.sqlite beside the database file.
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { loadConfig } from "../server/config";
import { readContent } from "../server/documents/lexical-content";
import { withStoredDoc } from "../server/documents/stored-state";

export interface BackupReport {
  destination: string;
  bytes: number;
  seconds: number;
  documents: number;
  updates: number;
  /** Documents that load but that the editor cannot read. */
  unreadable: string[];
}

/** Loads every document of a database file the way the server does; throws on the first failure. */
export function verifyDatabase(file: string): { documents: number; updates: number; unreadable: string[] } {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") throw new Error(`integrity_check failed: ${String(integrity)}`);
    const fk = db.pragma("foreign_key_check") as unknown[];
    if (fk.length > 0) throw new Error(`foreign_key_check found ${fk.length} broken references`);
    const ids = db.prepare("select id from documents order by id").pluck().all() as string[];
    const snapshot = db.prepare(
      "select state, last_update_id from document_snapshots where document_id = ? order by id desc limit 1",
    );
    const updates = db.prepare('select "update" from document_updates where document_id = ? and id > ? order by id').pluck();
    let rows = 0;
    const unreadable: string[] = [];
    for (const id of ids) {
      const snap = snapshot.get(id) as { state: Buffer; last_update_id: number } | undefined;
      const stored = {
        snapshot: snap ? { state: snap.state, lastUpdateId: snap.last_update_id } : null,
        updates: (updates.all(id, snap?.last_update_id ?? 0) as Buffer[]).map((update, i) => ({ id: i, update })),
      };
      rows += stored.updates.length;
      let readable: boolean;
      try {
        readable = withStoredDoc(stored, (doc) => readContent(doc).readable);
      } catch (error) {
        throw new Error(`document ${id} does not load: ${String(error)}`);
      }
      // A text the editor cannot read is copied faithfully (a restore of a version repairs it);
      // it is reported, not a reason to refuse the backup.
      if (!readable) unreadable.push(id);
    }
    return { documents: ids.length, updates: rows, unreadable };
  } finally {
    db.close();
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
  const { documents, updates, unreadable } = verifyDatabase(destination);
  return { destination, bytes: fs.statSync(destination).size, seconds: (performance.now() - started) / 1000, documents, updates, unreadable };
}

if (process.argv[1]?.endsWith("scripts/backup.ts")) {
  const config = loadConfig();
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const destination = path.resolve(
    process.argv[2] ?? path.join(path.dirname(config.databaseFile), "backups", `codesign-${stamp}.sqlite`),
  );
  try {
    const r = await backup(config.databaseFile, destination);
    console.log(
      `Backed up ${config.databaseFile} to ${r.destination} (${(r.bytes / 1048576).toFixed(1)} MiB, ${r.seconds.toFixed(1)} s). ` +
        `integrity_check ok; ${r.documents} documents load (${r.updates} updates after their snapshots).`,
    );
    if (r.unreadable.length > 0) {
      console.warn(
        `${r.unreadable.length} of them the editor cannot read (copied as they are; restoring a version repairs each): ${r.unreadable.join(", ")}`,
      );
    }
  } catch (error) {
    console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
