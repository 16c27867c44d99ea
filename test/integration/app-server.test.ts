import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readParagraphs, replaceContent } from "../../server/documents/lexical-content";
import * as Y from "yjs";
import { ACCOUNTS, type AppServer, login, PLAN_ID, postForm, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { sqlRows } from "../helpers/test-db";
import { connectClient, eventually, waitForSync } from "../helpers/yjs-client";

const ACTION_ID = "act-p-bgi-1-3";
const DOC_ID = `doc-${ACTION_ID}`;

async function storedParagraphs(dbFile: string, docId: string): Promise<string[]> {
  const rows = await sqlRows<{ update: Uint8Array }>(dbFile, 'select "update" from document_updates where document_id = ? order by id', docId);
  const doc = new Y.Doc();
  for (const r of rows) Y.applyUpdate(doc, r.update);
  return readParagraphs(doc);
}

async function ownerRow(dbFile: string, actionId: string, organisationId: string) {
  const rows = await sqlRows<{ role: string; status: string }>(
    dbFile,
    "select role, status from action_owners where action_id = ? and organisation_id = ?",
    actionId,
    organisationId,
  );
  return rows[0];
}

describe("the app server process", () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer();
    await reopenSeededPlan(server.url);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("serves health and refuses pages without a session", async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const page = await fetch(`${server.url}/plans/${PLAN_ID}`, { redirect: "manual" });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toContain("/login");
  });

  it("signs in with an HttpOnly SameSite cookie and a fresh session id each time", async () => {
    const res = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { Origin: server.origin },
      body: new URLSearchParams({ email: ACCOUNTS.nhsEditor, password: "codesign-demo-2030" }),
      redirect: "manual",
    });
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(res.status).toBe(302);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const second = await login(server.url, ACCOUNTS.nhsEditor);
    expect(second).not.toBe(setCookie.split(";")[0]);
  });

  it("says plainly when the password is wrong, and throttles an address after 10 attempts a minute", async () => {
    const attempt = (email: string) =>
      fetch(`${server.url}/login`, {
        method: "POST",
        headers: { "X-Forwarded-For": "203.0.113.77", Origin: server.origin },
        body: new URLSearchParams({ email, password: "wrong-password" }),
        redirect: "manual",
      });
    const first = await attempt("nobody@example.org");
    expect(first.status).toBe(401);
    expect(await first.text()).toContain("The email address or password is not right");
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await attempt(`person${i}@example.org`)).status);
    expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
    const blocked = await attempt("another@example.org");
    expect(statuses[9] === 429 || blocked.status === 429).toBe(true);
    expect(await blocked.text()).toContain("Too many sign-in attempts from this network");
  });

  it("backs off an account after repeated failures from one address (other addresses: security-http.test.ts)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${server.url}/login`, {
        method: "POST",
        headers: { "X-Forwarded-For": "198.51.100.1", Origin: server.origin },
        body: new URLSearchParams({ email: ACCOUNTS.housingEditor, password: "wrong-password" }),
        redirect: "manual",
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses).toContain(429);
  });

  it("lets an organisation A editor name B, but never accept on B's behalf", async () => {
    const council = await login(server.url, ACCOUNTS.councilEditor);
    const nhs = await login(server.url, ACCOUNTS.nhsEditor);
    const named = await postForm(server.url, `/plans/${PLAN_ID}`, council, {
      intent: "name-owner",
      actionId: ACTION_ID,
      organisationId: "nhs-bury-ccg",
      role: "support",
    });
    expect(named.status).toBe(200);
    expect(await ownerRow(server.dbFile, ACTION_ID, "nhs-bury-ccg")).toEqual({ role: "support", status: "pending" });

    const forged = await postForm(server.url, `/plans/${PLAN_ID}`, council, {
      intent: "accept-ownership",
      actionId: ACTION_ID,
      organisationId: "nhs-bury-ccg",
    });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain("Only an editor from NHS Bury CCG can accept or decline this request.");
    expect(await ownerRow(server.dbFile, ACTION_ID, "nhs-bury-ccg")).toEqual({ role: "support", status: "pending" });

    const accepted = await postForm(server.url, `/plans/${PLAN_ID}`, nhs, {
      intent: "accept-ownership",
      actionId: ACTION_ID,
      organisationId: "nhs-bury-ccg",
    });
    expect(accepted.status).toBe(200);
    expect(await ownerRow(server.dbFile, ACTION_ID, "nhs-bury-ccg")).toEqual({ role: "support", status: "accepted" });

    const trail = await sqlRows(
      server.dbFile,
      "select event, actor_organisation_id, to_status from ownership_history where action_id = ? and organisation_id = ? order by id",
      ACTION_ID,
      "nhs-bury-ccg",
    );
    expect(trail).toEqual([
      { event: "proposed", actor_organisation_id: "bury-council", to_status: "pending" },
      { event: "accepted", actor_organisation_id: "nhs-bury-ccg", to_status: "accepted" },
    ]);
  });

  it("refuses record changes to commenters and viewers through the HTTP actions", async () => {
    for (const email of [ACCOUNTS.vcfCommenter, ACCOUNTS.viewer]) {
      const cookie = await login(server.url, email);
      const named = await postForm(server.url, `/plans/${PLAN_ID}`, cookie, {
        intent: "name-owner",
        actionId: ACTION_ID,
        organisationId: "bury-college",
        role: "lead",
      });
      expect(named.status).toBe(403);
      const created = await postForm(server.url, `/plans/${PLAN_ID}`, cookie, {
        intent: "create-action",
        priorityId: "p-bgi-1",
        title: "Sneaky action",
      });
      expect(created.status).toBe(403);
    }
    expect(await sqlRows(server.dbFile, "select count(*) n from actions where title = 'Sneaky action'")).toEqual([{ n: 0 }]);
  });

  it("lets an administrator, and only an administrator, add organisations and people", async () => {
    const admin = await login(server.url, ACCOUNTS.admin);
    const editor = await login(server.url, ACCOUNTS.councilEditor);
    const org = { intent: "create-organisation", name: "Prestwich Men's Shed", shortName: "Men's Shed", sector: "vcf" };
    expect((await postForm(server.url, "/admin", editor, org)).status).toBe(403);
    expect((await postForm(server.url, "/admin", admin, org)).status).toBe(200);
    const person = {
      intent: "invite",
      name: "Priya Shah",
      email: "priya.shah@prestwich-mens-shed.example",
      organisationId: "prestwich-men-s-shed",
      systemRole: "member",
    };
    expect((await postForm(server.url, "/admin", editor, person)).status).toBe(403);
    // Nobody types another person's password: the person is invited (test/integration/people-invitations.test.ts).
    const invited = await postForm(server.url, "/admin", admin, person);
    expect(invited.status).toBe(200);
    expect(invited.text).toContain("Invitation written for Priya Shah");
    const duplicate = await postForm(server.url, "/admin", admin, { ...person, email: ACCOUNTS.viewer });
    expect(duplicate.status).toBe(409);
    expect(duplicate.text).toContain(`There is already an account for ${ACCOUNTS.viewer}`);
  });

  it("refuses sync upgrades without a session or from a foreign origin", async () => {
    const { WebSocket } = await import("ws");
    const tryUpgrade = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.url.replace("http", "ws")}/sync/${DOC_ID}`, { headers });
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.on("open", () => {
          ws.close();
          resolve(101);
        });
        ws.on("error", () => undefined);
      });
    expect(await tryUpgrade({ origin: server.origin })).toBe(401);
    const cookie = await login(server.url, ACCOUNTS.councilEditor);
    expect(await tryUpgrade({ origin: "https://evil.example", cookie })).toBe(403);
    expect(await tryUpgrade({ origin: server.origin, cookie })).toBe(101);
  });

  it("closes a user's open sync connections when they sign out", async () => {
    const cookie = await login(server.url, ACCOUNTS.vcfAllianceEditor);
    const client = connectClient(server.url, DOC_ID, cookie);
    await waitForSync(client);
    const res = await postForm(server.url, "/logout", cookie, {});
    expect(res.status).toBe(302);
    const closed = await Promise.race([client.closed, new Promise((r) => setTimeout(() => r("timeout"), 5000))]);
    expect(closed).toMatchObject({ code: 4401 });
    client.destroy();
  });
});

describe("durability across restarts and crashes", () => {
  it("keeps content through a graceful restart", async () => {
    let server = await startAppServer();
    await reopenSeededPlan(server.url);
    const cookie = await login(server.url, ACCOUNTS.councilEditor);
    const a = connectClient(server.url, DOC_ID, cookie);
    await waitForSync(a);
    replaceContent(a.doc, ["Restart-proof paragraph."]);
    const b = connectClient(server.url, DOC_ID, cookie);
    await waitForSync(b);
    await eventually(() => readParagraphs(b.doc), (p) => p[0] === "Restart-proof paragraph.");
    a.destroy();
    b.destroy();
    await server.stop();

    server = await startAppServer({ dbFile: server.dbFile });
    const cookie2 = await login(server.url, ACCOUNTS.nhsEditor);
    const c = connectClient(server.url, DOC_ID, cookie2);
    await waitForSync(c);
    expect(readParagraphs(c.doc)).toEqual(["Restart-proof paragraph."]);
    c.destroy();
    await server.stop();
  }, 120_000);

  it("keeps an edit another client has received when the server is killed with SIGKILL", async () => {
    let server = await startAppServer();
    await reopenSeededPlan(server.url);
    const editor = await login(server.url, ACCOUNTS.councilEditor);
    const watcher = await login(server.url, ACCOUNTS.nhsEditor);
    const a = connectClient(server.url, DOC_ID, editor);
    const b = connectClient(server.url, DOC_ID, watcher);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    const text = `Edit acknowledged at ${Date.now()}`;
    replaceContent(a.doc, [text]);
    await eventually(() => readParagraphs(b.doc), (p) => p.includes(text));
    // B has it, so the server had committed it: kill at once, no shutdown, no flush.
    await server.kill9();
    a.destroy();
    b.destroy();
    expect(await storedParagraphs(server.dbFile, DOC_ID)).toContain(text);

    server = await startAppServer({ dbFile: server.dbFile });
    const c = connectClient(server.url, DOC_ID, await login(server.url, ACCOUNTS.collegeEditor));
    await waitForSync(c);
    expect(readParagraphs(c.doc)).toContain(text);
    c.destroy();
    await server.stop();
  }, 120_000);
});
