// Agreement figures: what reading current texts (fingerprints) costs a plan page, what a minimal
// range edit costs, and what the plan page costs end to end. Prints medians; asserts nothing.
import fs from "node:fs";
import * as Y from "yjs";
import { loadStoredDocument } from "../db/queries/documents";
import { migrateToLatest, openDatabase } from "../db/connection";
import { seedDatabase } from "../seeds/load";
import { initialContentUpdate } from "../server/documents/lexical-content";
import { replaceQuotedRange } from "../server/documents/lexical-range-edit";
import { currentActionTexts, readActionText } from "../server/domain/agreement";
import { ACCOUNTS, login, PLAN_ID, startAppServer, tempDbFile } from "../test/helpers/app-server";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const file = tempDbFile("bench-agreement");
const { db } = openDatabase(file);
await migrateToLatest(db);
await seedDatabase(db);
const reader = {
  async readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T> {
    const stored = await loadStoredDocument(db, documentId);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.state);
    for (const u of stored.updates) Y.applyUpdate(doc, u.update);
    return read(doc);
  },
};
const actions = await db.selectFrom("actions").select(["id", "plan_id", "title", "document_id"]).where("plan_id", "=", PLAN_ID).execute();

const perDoc: number[] = [];
for (let round = 0; round < 3; round++) for (const a of actions) perDoc.push(await time(() => readActionText(reader, a)));
console.log(`read + fingerprint of one action's text (stored, headless Lexical): median ${ms(median(perDoc))} over ${perDoc.length}`);
const cold = await time(() => currentActionTexts(db, reader, actions));
const warm: number[] = [];
for (let i = 0; i < 20; i++) warm.push(await time(() => currentActionTexts(db, reader, actions)));
console.log(`current texts of all ${actions.length} actions of the plan: first ${ms(cold)}, then median ${ms(median(warm))} (cache hit, one grouped query); ratio ${(cold / median(warm)).toFixed(0)}x`);

for (const paragraphs of [1, 20]) {
  const base = new Y.Doc();
  Y.applyUpdate(base, initialContentUpdate(Array.from({ length: paragraphs }, (_, i) => `Paragraph ${i} says the market hall opens in March.`)));
  const times: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < 30; i++) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
    const before = Y.encodeStateVector(doc);
    const block = Math.floor(paragraphs / 2);
    const start = `Paragraph ${block} says the market `.length;
    times.push(await time(() => replaceQuotedRange(doc, { blockIndex: block, start, end: start + 4, quote: "hall" }, "square")));
    sizes.push(Y.encodeStateAsUpdate(doc, before).byteLength);
  }
  console.log(`accepting a suggestion (minimal range edit) in a ${paragraphs}-paragraph text: median ${ms(median(times))}, update ${median(sizes)} bytes`);
}
await db.destroy();
fs.rmSync(file, { force: true });

const server = await startAppServer();
try {
  const cookie = await login(server.url, ACCOUNTS.councilEditor);
  const get = async () => {
    const res = await fetch(`${server.url}/plans/${PLAN_ID}`, { headers: { Cookie: cookie } });
    return (await res.text()).length;
  };
  let size = 0;
  const first = await time(async () => (size = await get()));
  const again: number[] = [];
  for (let i = 0; i < 10; i++) again.push(await time(get));
  console.log(
    `plan page (${actions.length} actions, with agreement panels) over HTTP: first ${ms(first)}, then median ${ms(median(again))}; ${(size / 1024).toFixed(0)} KiB of HTML`,
  );
} finally {
  await server.stop();
}
