/**
 * The worker thread's entry (see ./pool.ts): runs one task per message, replies with its value or
 * its error's message. Values go back by structured clone (Buffers arrive as Uint8Arrays).
 */
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase, openPostgres, type DatabaseTarget, type DB } from "../../db/connection";
import { runTask } from "./tasks";
import type { WorkerReply } from "./pool";
import type { TaskName } from "./tasks";

const { database } = workerData as { database: DatabaseTarget };
// This thread's own connection; opened on the first task (WAL: it never blocks the writer).
let db: DB | null = null;
const open = (): DB => (database.dialect === "sqlite" ? openDatabase(database.file).db : openPostgres(database.url, 2).db);

parentPort!.on("message", async (message: { id: number; task: TaskName; input: unknown }) => {
  let reply: WorkerReply;
  try {
    reply = { id: message.id, ok: true, value: await runTask(message.task, message.input as never, (db ??= open())) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { id: message.id, ok: false, message: e.message, stack: e.stack };
  }
  parentPort!.postMessage(reply);
});
