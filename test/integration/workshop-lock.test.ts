import { sqlRows } from "../helpers/test-db";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readParagraphs, replaceContent } from "../../server/documents/lexical-content";
import { ACCOUNTS, type AppServer, login, PLAN_ID, postForm, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { connectClient, eventually, waitForSync } from "../helpers/yjs-client";
import { createWorkshop, intent } from "../helpers/workshop-client";

const ACTION_ID = "act-p-bgi-2-1";
const DOC_ID = `doc-${ACTION_ID}`;

let server: AppServer;
let fac: string;
let editor: string;
let workshopId: string;

async function storedParagraphs(): Promise<string[]> {
  const rows = await sqlRows<{ update: Uint8Array }>(server.dbFile, 'select "update" from document_updates where document_id = ? order by id', DOC_ID);
  const doc = new Y.Doc();
  for (const r of rows) Y.applyUpdate(doc, r.update);
  return readParagraphs(doc);
}

/** Until the stored document holds `text` (10 s at most). */
async function storedUntilIncludes(text: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; !(await storedParagraphs()).includes(text); ) {
    if (Date.now() > deadline) throw new Error(`the stored document never held "${text}"`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function accessChanges(to: string): number {
  return server.logs.filter((l) => l.msg === "sync access changed" && l.to === to).length;
}

beforeAll(async () => {
  server = await startAppServer();
  await reopenSeededPlan(server.url);
  fac = await login(server.url, ACCOUNTS.facilitator);
  editor = await login(server.url, ACCOUNTS.councilEditor);
  workshopId = await createWorkshop(server.url, fac, { planId: PLAN_ID, title: "Locked session" });
  await intent(server.url, workshopId, fac, { intent: "start-session" });
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

describe("locking the plan during a workshop", () => {
  it("makes connected partner editors read-only at once, and writable again on unlock", async () => {
    const partner = connectClient(server.url, DOC_ID, editor);
    const facilitator = connectClient(server.url, DOC_ID, fac);
    await Promise.all([waitForSync(partner), waitForSync(facilitator)]);
    const readBefore = accessChanges("read");

    expect((await intent(server.url, workshopId, fac, { intent: "lock-plan" })).status).toBe(200);
    await eventually(() => accessChanges("read"), (n) => n === readBefore + 1);

    const blocked = `Partner typing while locked ${Date.now()}`;
    replaceContent(partner.doc, [blocked]);
    await eventually(() => server.logs.some((l) => l.msg === "dropped a document change from a read-only connection"), (seen) => seen);
    // The facilitator writes the room's wording into the plan; everyone sees it.
    const scribed = `Agreed in the workshop ${Date.now()}`;
    replaceContent(facilitator.doc, [scribed]);
    await storedUntilIncludes(scribed);
    expect(await storedParagraphs()).not.toContain(blocked);

    expect((await intent(server.url, workshopId, fac, { intent: "unlock-plan" })).status).toBe(200);
    await eventually(() => accessChanges("write"), (n) => n >= 1);
    const after = `Partner typing after unlock ${Date.now()}`;
    replaceContent(partner.doc, [after]);
    await storedUntilIncludes(after);
    partner.destroy();
    facilitator.destroy();
  });

  it("refuses partners' plan changes over HTTP while locked, with a message; answers to requests still go through", async () => {
    expect((await intent(server.url, workshopId, fac, { intent: "lock-plan" })).status).toBe(200);
    const lockedMsg = "Editing of this plan is locked while the workshop “Locked session” is running.";
    const created = await postForm(server.url, `/plans/${PLAN_ID}`, editor, { intent: "create-action", priorityId: "p-bgi-2", title: "Action during the lock" });
    // A locked plan is a refusal for this person now (the facilitator may), not a conflict to retry:
    // the same 403 and sentence for every locked edit, as for an archived plan.
    expect(created.status).toBe(403);
    expect(created.text).toContain(lockedMsg);
    const named = await postForm(server.url, `/plans/${PLAN_ID}`, editor, { intent: "name-owner", actionId: ACTION_ID, organisationId: "bury-college", role: "support" });
    expect(named.status).toBe(403);
    expect(named.text).toContain(lockedMsg);
    const titleBefore = () => sqlRows(server.dbFile, "select title, due_label from actions where id = ?", ACTION_ID);
    const before = await titleBefore();
    const retitled = await postForm(server.url, `/plans/${PLAN_ID}/actions/${ACTION_ID}`, editor, { intent: "edit-details", title: "Renamed during the lock", dueLabel: "" });
    expect(retitled.status).toBe(403);
    expect(retitled.text).toContain(lockedMsg);
    expect(await titleBefore()).toEqual(before);
    // The facilitator may name a partner; that partner may still answer during the session.
    expect((await postForm(server.url, `/plans/${PLAN_ID}`, fac, { intent: "name-owner", actionId: ACTION_ID, organisationId: "nhs-bury-ccg", role: "support" })).status).toBe(200);
    const nhs = await login(server.url, ACCOUNTS.nhsEditor);
    expect((await postForm(server.url, `/plans/${PLAN_ID}`, nhs, { intent: "accept-ownership", actionId: ACTION_ID, organisationId: "nhs-bury-ccg" })).status).toBe(200);

    // The plan page says so and offers no editing.
    const page = await (await fetch(`${server.url}/plans/${PLAN_ID}?priority=all&show=100`, { headers: { Cookie: editor } })).text();
    expect(page).toContain('data-testid="plan-lock"');
    expect(page).toContain("Editing is locked while the workshop");
    expect(page).not.toContain("Add an action");
    expect(await sqlRows(server.dbFile, "select count(*) n from actions where title = ?", "Action during the lock")).toEqual([{ n: 0 }]);
  });

  it("ends with the workshop: closing unlocks the plan", async () => {
    expect((await intent(server.url, workshopId, fac, { intent: "close-workshop" })).status).toBe(200);
    const page = await (await fetch(`${server.url}/plans/${PLAN_ID}?priority=all&show=100`, { headers: { Cookie: editor } })).text();
    expect(page).not.toContain('data-testid="plan-lock"');
    const created = await postForm(server.url, `/plans/${PLAN_ID}`, editor, { intent: "create-action", priorityId: "p-bgi-2", title: "Action after the session" });
    expect(created.status).toBe(200);
  });
});
