/**
 * Heavy work off the event loop. One process serves every page and every sync socket on one
 * thread, so a build or parse that takes 400 ms stalls everyone for 400 ms (issue 10: the Word
 * report, the actions CSV and CSV import did). Tasks named in ./tasks.ts run instead in worker
 * threads, one at a time per thread, in order of arrival; a task that reads the database opens its
 * own connection in the worker (WAL: readers never wait for the writer).
 *
 * The worker entry is found beside this module: ./worker.ts when running from source (`npm run
 * dev` through tsx, tests through vitest; the thread registers tsx's loader first), ./worker.js
 * in the production bundle (scripts/build-server.mjs builds it next to build/app/server.js).
 * With `threads: 0`, or an in-memory database a worker could not open, tasks run inline: the same
 * code, on the event loop.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { DatabaseTarget, DB } from "../../db/connection";
import type { TaskInput, TaskName, TaskOutput } from "./tasks";

export interface WorkerPool {
  run<K extends TaskName>(task: K, input: TaskInput<K>): Promise<TaskOutput<K>>;
  close(): Promise<void>;
}

export interface WorkerPoolOptions {
  threads: number;
  /** The database a worker opens its own connection to (a small pool of one on PostgreSQL). */
  database: DatabaseTarget;
  /** The event loop's own database, for tasks run inline. */
  db: DB;
}

interface Job {
  id: number;
  task: TaskName;
  input: unknown;
  resolve: (value: any) => void;
  reject: (error: Error) => void;
}

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string; stack?: string };

function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./worker.js", import.meta.url), { workerData });
  // From source: tsx's loader does not follow into worker threads, so the thread registers it
  // itself before importing the TypeScript entry.
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href;
  const entry = new URL("./worker.ts", import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi.replace(/index\.cjs$/, "index.mjs"))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

export function createWorkerPool(opts: WorkerPoolOptions): WorkerPool {
  if (opts.threads === 0 || (opts.database.dialect === "sqlite" && opts.database.file === ":memory:")) return inlinePool(opts);
  const queue: Job[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  let started = 0;
  let nextId = 1;
  let closed = false;

  const spawn = () => {
    const worker = startWorker({ database: opts.database });
    started += 1;
    worker.on("message", (reply: WorkerReply) => {
      const job = busy.get(worker);
      busy.delete(worker);
      if (job && job.id === reply.id) {
        if (reply.ok) job.resolve(reply.value);
        else job.reject(Object.assign(new Error(reply.message), { stack: reply.stack }));
      }
      idle.push(worker);
      pump();
    });
    // A worker that dies fails only the task it was running; the next task gets a fresh one.
    const lost = (error: Error) => {
      const job = busy.get(worker);
      busy.delete(worker);
      const at = idle.indexOf(worker);
      if (at !== -1) idle.splice(at, 1);
      started -= 1;
      job?.reject(error);
      if (!closed) pump();
    };
    worker.on("error", lost);
    worker.on("exit", (code) => {
      if (busy.has(worker) || idle.includes(worker)) lost(new Error(`The worker thread stopped (exit ${code}).`));
    });
    // Idle workers do not keep the process alive.
    worker.unref();
    idle.push(worker);
  };

  const pump = () => {
    while (queue.length && !closed) {
      if (!idle.length && started < opts.threads) spawn();
      const worker = idle.shift();
      if (!worker) return;
      const job = queue.shift()!;
      busy.set(worker, job);
      worker.ref();
      worker.postMessage({ id: job.id, task: job.task, input: job.input });
    }
    for (const w of idle) w.unref();
  };

  return {
    run(task, input) {
      if (closed) return Promise.reject(new Error("The server is stopping."));
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, task, input, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error("The server is stopping."));
      const all = [...idle, ...busy.keys()];
      for (const [, job] of busy) job.reject(new Error("The server is stopping."));
      busy.clear();
      idle.length = 0;
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}

function inlinePool(opts: WorkerPoolOptions): WorkerPool {
  let tasks: Promise<typeof import("./tasks")> | null = null;
  return {
    async run(task, input) {
      const { runTask } = await (tasks ??= import("./tasks"));
      return runTask(task, input, opts.db) as Promise<TaskOutput<typeof task>>;
    },
    async close() {},
  };
}
