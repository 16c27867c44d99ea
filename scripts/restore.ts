// `npm run restore -- <backup file>`: puts a backup in place of DATABASE_FILE. Stop the server
// first. The backup is verified (integrity_check, every document loads) before anything is
// touched; the current database (with its -wal and -shm files) is moved aside, not deleted.
import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "../server/config";
import { verifyDatabase } from "./backup";

export function restore(backupFile: string, target: string): { movedAside: string | null; documents: number } {
  if (!fs.existsSync(backupFile)) throw new Error(`There is no backup at ${backupFile}.`);
  const { documents } = verifyDatabase(backupFile);
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
    console.error("Usage: npm run restore -- <backup file>   (stop the server first)");
    process.exit(2);
  }
  const config = loadConfig();
  try {
    const r = restore(path.resolve(file), config.databaseFile);
    console.log(
      `Restored ${file} to ${config.databaseFile}; ${r.documents} documents load.` +
        (r.movedAside ? ` The previous database is at ${r.movedAside}.` : ""),
    );
  } catch (error) {
    console.error(`Restore failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
