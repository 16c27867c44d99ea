/**
 * Request bodies cannot freeze the server (issue 10, section 2), through the production build in
 * its own process: a chunked upload far over the limit is answered 413 within a second while
 * /healthz keeps answering; a declared oversize Content-Length is refused before its body is sent;
 * a form of thousands of fields is refused on /login before any session; a legitimate import, sent
 * chunked or with a length, still imports.
 */
import http from "node:http";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, login, PLAN_ID, startAppServer, type AppServer } from "../helpers/app-server";

let server: AppServer;
let facilitator: string;

beforeAll(async () => {
  server = await startAppServer();
  facilitator = await login(server.url, ACCOUNTS.facilitator);
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

function countActions(planId: string): number {
  const db = new Database(server.dbFile, { readonly: true });
  try {
    return (db.prepare("select count(*) n from actions where plan_id = ?").get(planId) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Asks /healthz every 20 ms on a fresh connection and keeps each answer's latency. */
function probeHealth() {
  const latencies: number[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const req = http.get(`${server.url}/healthz`, { agent: false }, (res) => {
          res.resume();
          res.on("end", () => resolve());
        });
        req.on("error", reject);
      });
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return latencies;
    },
  };
}

interface RawAnswer {
  status: number;
  body: string;
  /** Milliseconds from the first byte written to the response's headers. */
  answeredAfterMs: number;
  bytesSent: number;
}

/**
 * A raw HTTP/1.1 client: sends `head` then body chunks from `chunks` as fast as the socket takes
 * them, and stops writing as soon as the response arrives (as a browser does on an early answer).
 */
function rawPost(path: string, headers: Record<string, string>, chunks: Iterable<Buffer>, opts: { sendBody?: boolean } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let bytesSent = 0;
    let answered = false;
    const req = http.request(`${server.url}${path}`, { method: "POST", headers, agent: false }, (res) => {
      answered = true;
      const answeredAfterMs = performance.now() - started;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, answeredAfterMs, bytesSent });
      });
      res.on("error", reject);
    });
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    req.flushHeaders();
    if (opts.sendBody === false) return;
    (async () => {
      for (const chunk of chunks) {
        if (answered || req.destroyed) return;
        bytesSent += chunk.length;
        if (!req.write(chunk)) await new Promise<void>((r) => req.once("drain", () => r()));
      }
      if (!answered && !req.destroyed) req.end();
    })().catch(() => {});
  });
}

function csvRows(count: number, from = 0): string {
  const lines: string[] = [];
  for (let i = from; i < from + count; i++) lines.push(`BGI-1,Imported action ${i} with a realistic title,Bury Council,,`);
  return lines.join("\n") + "\n";
}

/** A multipart body for the import form whose file is `totalBytes` of valid CSV rows, in 64 KiB chunks. */
function* multipartImport(boundary: string, totalBytes: number): Generator<Buffer> {
  yield Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nimport-csv\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="actions.csv"\r\nContent-Type: text/csv\r\n\r\n` +
      "Priority code,Action,Lead partner,Supporting partners,Milestones\n",
  );
  for (let sent = 0, n = 0; sent < totalBytes; n += 1) {
    const chunk = Buffer.from(csvRows(1000, n * 1000));
    sent += chunk.length;
    yield chunk;
  }
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}

describe("request bodies are limited on the stream", () => {
  it("answers a chunked upload of 20 MB with 413 within 1 s while /healthz keeps answering within 100 ms", async () => {
    const probe = probeHealth();
    await new Promise((r) => setTimeout(r, 100));
    const boundary = "----cdw-limit-test";
    const answer = await rawPost(
      `/plans/${PLAN_ID}/reports`,
      { Cookie: facilitator, "Content-Type": `multipart/form-data; boundary=${boundary}`, "Transfer-Encoding": "chunked" },
      multipartImport(boundary, 20 * 1024 * 1024),
    );
    await new Promise((r) => setTimeout(r, 200));
    const latencies = await probe.stop();
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(/larger than 2 MB/);
    expect(answer.answeredAfterMs).toBeLessThan(1000);
    // Refused at the limit, not after reading everything.
    expect(answer.bytesSent).toBeLessThan(20 * 1024 * 1024);
    expect(latencies.length).toBeGreaterThan(3);
    expect(Math.max(...latencies)).toBeLessThan(100);
    expect(countActions(PLAN_ID)).toBeGreaterThan(0);
  }, 60_000);

  it("refuses a declared Content-Length over the limit before the body is sent", async () => {
    const answer = await rawPost(
      "/login",
      { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(20 * 1024 * 1024), "X-Forwarded-For": "192.0.2.251" },
      [],
      { sendBody: false },
    );
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(/larger than 1 MB/);
    const upload = await rawPost(
      `/plans/${PLAN_ID}/reports`,
      { Cookie: facilitator, "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(20 * 1024 * 1024) },
      [],
      { sendBody: false },
    );
    expect(upload.status).toBe(413);
    expect(upload.body).toMatch(/larger than 2 MB/);
  }, 30_000);

  it("refuses a form with thousands of fields on /login, before any session, with a sentence", async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `f${i}=x`).join("&");
    const answer = await rawPost("/login", { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "192.0.2.252" }, [Buffer.from(many)]);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(/more than 1,000 fields/);
    // 20 MB of tiny fields, chunked: refused at once, whichever limit it meets first.
    const block = Buffer.from("a=&".repeat(20_000));
    const huge = rawPost(
      "/login",
      { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked", "X-Forwarded-For": "192.0.2.253" },
      (function* () {
        for (let sent = 0; sent < 20 * 1024 * 1024; sent += block.length) yield block;
      })(),
    );
    const refused = await huge;
    expect(refused.status).toBe(413);
    expect(refused.answeredAfterMs).toBeLessThan(1000);
    // The right password still works afterwards.
    await expect(login(server.url, ACCOUNTS.viewer)).resolves.toMatch(/=/);
  }, 30_000);
});

describe("a legitimate import still works", () => {
  it("imports a 2,000-row file sent with a length, and a small file sent chunked", async () => {
    const before = countActions(PLAN_ID);
    const form = new FormData();
    form.set("intent", "import-csv");
    form.set("file", new Blob(["Priority code,Action,Lead partner,Supporting partners,Milestones\n" + csvRows(2000, 100_000)], { type: "text/csv" }), "actions.csv");
    const res = await fetch(`${server.url}/plans/${PLAN_ID}/reports`, { method: "POST", headers: { Cookie: facilitator }, body: form });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Imported 2000 actions.");
    expect(countActions(PLAN_ID)).toBe(before + 2000);

    const boundary = "----cdw-chunked-ok";
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nimport-csv\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n` +
        "Priority code,Action,Lead partner,Supporting partners,Milestones\n" +
        csvRows(3, 200_000) +
        `\r\n--${boundary}--\r\n`,
    );
    const chunked = await rawPost(
      `/plans/${PLAN_ID}/reports`,
      { Cookie: facilitator, "Content-Type": `multipart/form-data; boundary=${boundary}`, "Transfer-Encoding": "chunked" },
      [body.subarray(0, 100), body.subarray(100)],
    );
    expect(chunked.status).toBe(200);
    expect(chunked.body).toContain("Imported 3 actions.");
    expect(countActions(PLAN_ID)).toBe(before + 2003);
  }, 60_000);
});
