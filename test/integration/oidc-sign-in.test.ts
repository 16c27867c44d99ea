/**
 * Issue 13, "Sign in with your organisation's Microsoft account", against the production build in
 * its own process and a real OpenID provider (oidc-provider) in this one, on port 0. The provider
 * plays Bury Council's Entra ID tenant; forged answers are made by rewriting its token response
 * (test/helpers/oidc-idp.ts), as someone between the provider and the workspace would.
 * OIDC_ALLOW_HTTP_LOOPBACK lets the issuer be http://127.0.0.1:<port>: tests only.
 */
import crypto from "node:crypto";
import { sqlRows } from "../helpers/test-db";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACCOUNTS, login, postForm, startAppServer, type AppServer } from "../helpers/app-server";
import { decodeJwt, signJwt, startTestIdp, tamperJwt, TestBrowser, type TestIdp } from "../helpers/oidc-idp";

const TENANT = "3f6d2c1a-7b8e-4c9d-a0b1-c2d3e4f5a6b7";
const OTHER_TENANT = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
const CLIENT_ID = "codesign-workspace";
const CLIENT_SECRET = `secret-${crypto.randomBytes(12).toString("hex")}`;

let app: AppServer;
let idp: TestIdp;
let adminCookie: string;

beforeAll(async () => {
  app = await startAppServer({ env: { OIDC_ALLOW_HTTP_LOOPBACK: "true" } });
  idp = await startTestIdp({
    clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [`${app.origin}/auth/oidc/callback`] }],
  });
  idp.accounts.set("helen-sub", { email: ACCOUNTS.facilitator, email_verified: true, tid: TENANT, name: "Helen Ashworth" });
  idp.accounts.set("sarah-sub", { email: ACCOUNTS.councilEditor, email_verified: true, tid: TENANT, name: "Sarah Whitworth" });
  idp.accounts.set("margaret-other-tenant", { email: ACCOUNTS.viewer, email_verified: true, tid: OTHER_TENANT });
  idp.accounts.set("outsider", { email: "someone@gmail.example", email_verified: true, tid: TENANT });
  idp.accounts.set("unverified", { email: "margaret.hughes@bury-council.example", email_verified: false, tid: TENANT });
  idp.accounts.set("invited-sub", { email: "Invited.Person@Bury-Council.example", email_verified: true, tid: TENANT, name: "Invited Person" });
  idp.accounts.set("nobody-yet", { email: "new.starter@bury-council.example", email_verified: true, tid: TENANT });
  adminCookie = await login(app.url, ACCOUNTS.admin);
  const saved = await postForm(app.url, "/admin/sign-in", adminCookie, {
    intent: "configure",
    organisationId: "bury-council",
    issuer: idp.issuer,
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    emailDomains: "bury-council.example",
  });
  expect(saved.status, saved.text).toBe(200);
}, 90_000);

afterAll(async () => {
  await app?.stop();
  await idp?.close();
});

beforeEach(() => {
  idp.tokenTransform = null;
});

/** Starts at the /login button's link and stops when the provider sends the browser back. */
async function signInAtProvider(browser: TestBrowser, account: string, editAuthorizeUrl?: (u: URL) => void): Promise<string> {
  idp.nextLogin = account;
  const start = await browser.get(`${app.url}/auth/oidc/start?organisation=bury-council&redirectTo=%2Fplans`);
  expect(start.status, await start.clone().text()).toBe(302);
  const authorize = new URL(start.headers.get("location")!);
  expect(authorize.origin).toBe(idp.issuer);
  editAuthorizeUrl?.(authorize);
  const back = await browser.follow(authorize.href, app.origin);
  expect(back.res, back.res ? await back.res.text() : "").toBeNull();
  expect(back.url.startsWith(`${app.origin}/auth/oidc/callback?`)).toBe(true);
  return back.url;
}

async function expectSignedInAs(res: Response, browser: TestBrowser, name: string) {
  expect(res.status, await res.clone().text()).toBe(302);
  expect(res.headers.get("location")).toBe("/plans");
  expect(browser.cookie(app.origin, "cdw_session")).toMatch(/\S{16,}/);
  const page = await browser.get(`${app.url}/dashboard`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain(name);
}

async function expectRefused(res: Response, browser: TestBrowser, status: number, sentence: RegExp) {
  const body = await res.text();
  expect(res.status, body).toBe(status);
  expect(body).toMatch(sentence);
  expect(browser.cookie(app.origin, "cdw_session")).toBeUndefined();
}

describe("signing in with an organisation's Microsoft account", () => {
  it("shows the button on /login, and the admin page never shows the client secret", async () => {
    const loginPage = await (await fetch(`${app.url}/login`)).text();
    expect(loginPage).toContain("Sign in with Bury Council&#x27;s Microsoft account");
    const admin = await fetch(`${app.url}/admin/sign-in`, { headers: { Cookie: adminCookie } });
    const html = await admin.text();
    expect(admin.status).toBe(200);
    expect(html).toContain(idp.issuer);
    expect(html).not.toContain(CLIENT_SECRET);
  });

  it("a good sign-in lands signed in, links the account, and signs in by the link the next time", async () => {
    const browser = new TestBrowser();
    const callback = await signInAtProvider(browser, "helen-sub");
    await expectSignedInAs(await browser.get(callback), browser, "Helen Ashworth");
    const [link] = await sqlRows<{ email: string }>(app.dbFile, "select u.email from identity_links l join users u on u.id = l.user_id where l.subject = ?", "helen-sub");
    expect(link!.email).toBe(ACCOUNTS.facilitator);
    const [audit] = await sqlRows<{ n: number }>(app.dbFile, "select count(*) as n from audit_log where event = 'identity.linked'");
    expect(audit!.n).toBeGreaterThanOrEqual(1);
    const again = new TestBrowser();
    await expectSignedInAs(await again.get(await signInAtProvider(again, "helen-sub")), again, "Helen Ashworth");
  });

  it("refuses a replayed state: the same callback a second time", async () => {
    const browser = new TestBrowser();
    const callback = await signInAtProvider(browser, "sarah-sub");
    const oidcCookie = browser.cookie(app.origin, "cdw_oidc");
    await expectSignedInAs(await browser.get(callback), browser, "Sarah Whitworth");
    // An attacker with the same URL and the binding cookie, but no session.
    const replay = await fetch(callback, { headers: { Cookie: `cdw_oidc=${oidcCookie}` }, redirect: "manual" });
    const body = await replay.text();
    expect(replay.status, body).toBe(400);
    expect(body).toMatch(/already been used or has expired/);
    expect(replay.headers.getSetCookie().some((c) => c.startsWith("cdw_session="))).toBe(false);
  });

  it("refuses a callback finished in another browser than the one that started it", async () => {
    const callback = await signInAtProvider(new TestBrowser(), "helen-sub");
    const other = new TestBrowser();
    await expectRefused(await other.get(callback), other, 400, /started in another browser/);
  });

  it("refuses a token whose issuer differs from the configured one", async () => {
    idp.tokenTransform = (body) => {
      const { header, payload } = decodeJwt(String(body.id_token));
      payload.iss = "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0";
      return { ...body, id_token: signJwt(header, payload, idp.signingKey) };
    };
    const browser = new TestBrowser();
    const callback = await signInAtProvider(browser, "helen-sub");
    await expectRefused(await browser.get(callback), browser, 401, /different identity service than the one Bury Council set up/);
  });

  it("refuses a token made out to another application (wrong audience)", async () => {
    idp.tokenTransform = (body) => {
      const { header, payload } = decodeJwt(String(body.id_token));
      payload.aud = "some-other-application";
      return { ...body, id_token: signJwt(header, payload, idp.signingKey) };
    };
    const browser = new TestBrowser();
    const callback = await signInAtProvider(browser, "helen-sub");
    await expectRefused(await browser.get(callback), browser, 401, /made out to another application/);
  });

  it("refuses a tampered token (claims changed, signature kept)", async () => {
    idp.tokenTransform = (body) => ({
      ...body,
      id_token: tamperJwt(String(body.id_token), (p) => {
        p.sub = "helen-sub";
        p.email = ACCOUNTS.facilitator;
      }),
    });
    const browser = new TestBrowser();
    // Sarah signs in; the forged token claims to be Helen.
    const callback = await signInAtProvider(browser, "sarah-sub");
    await expectRefused(await browser.get(callback), browser, 401, /signature does not match Bury Council's published keys/);
  });

  it("refuses a token signed with keys the provider does not publish", async () => {
    const { privateKey: otherKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    idp.tokenTransform = (body) => {
      const { header, payload } = decodeJwt(String(body.id_token));
      return { ...body, id_token: signJwt(header, payload, otherKey) };
    };
    const browser = new TestBrowser();
    const callback = await signInAtProvider(browser, "helen-sub");
    await expectRefused(await browser.get(callback), browser, 401, /signature does not match/);
  });

  it("refuses a nonce that is not the one this sign-in sent", async () => {
    const browser = new TestBrowser();
    const callback = await signInAtProvider(browser, "helen-sub", (u) => u.searchParams.set("nonce", "a-nonce-from-another-sign-in"));
    await expectRefused(await browser.get(callback), browser, 401, /does not belong to the one started in this browser/);
  });

  it("refuses an account from another tenant", async () => {
    const browser = new TestBrowser();
    const callback = await signInAtProvider(browser, "margaret-other-tenant");
    await expectRefused(await browser.get(callback), browser, 403, /account from another Microsoft organisation, not Bury Council's/);
  });

  it("refuses an email outside the organisation's domains, an unverified one, and one with no account", async () => {
    const outsider = new TestBrowser();
    await expectRefused(
      await outsider.get(await signInAtProvider(outsider, "outsider")),
      outsider,
      403,
      /\(someone@gmail\.example\) is not an address of Bury Council \(bury-council\.example\)/,
    );
    const unverified = new TestBrowser();
    await expectRefused(await unverified.get(await signInAtProvider(unverified, "unverified")), unverified, 403, /is not an address of Bury Council/);
    const newcomer = new TestBrowser();
    await expectRefused(
      await newcomer.get(await signInAtProvider(newcomer, "nobody-yet")),
      newcomer,
      403,
      /no workspace account for new\.starter@bury-council\.example at Bury Council yet/,
    );
  });

  it("links the first sign-in to an invited account (invitation not yet accepted) by its verified email, and the invitation link is used up", async () => {
    const invited = await postForm(app.url, "/admin", adminCookie, {
      intent: "invite",
      name: "Priya Invited",
      email: "invited.person@bury-council.example",
      organisationId: "bury-council",
      systemRole: "member",
    });
    expect(invited.status, invited.text).toBe(200);
    const person = async () => (await sqlRows<{ id: number; password_hash: string }>(app.dbFile, "select id, password_hash from users where email = ?", "invited.person@bury-council.example"))[0]!;
    const openInvitations = async () =>
      Number((await sqlRows<{ n: number }>(app.dbFile, "select count(*) as n from account_tokens where user_id = ? and purpose = 'invitation' and used_at is null", (await person()).id))[0]!.n);
    expect((await person()).password_hash).toBe("");
    expect(await openInvitations()).toBe(1);
    const browser = new TestBrowser();
    await expectSignedInAs(await browser.get(await signInAtProvider(browser, "invited-sub")), browser, "Priya Invited");
    const [link] = await sqlRows<{ user_id: number }>(app.dbFile, "select user_id from identity_links where subject = ?", "invited-sub");
    expect(Number(link!.user_id)).toBe(Number((await person()).id));
    // Accepted through Microsoft: the emailed link no longer sets a password on the account.
    expect(await openInvitations()).toBe(0);
    const [accepted] = await sqlRows<{ n: number }>(app.dbFile, "select count(*) as n from audit_log where event = 'user.invitation_accepted' and subject = ?", String((await person()).id));
    expect(Number(accepted!.n)).toBe(1);
  });

  it("refuses to configure a multi-tenant endpoint or a plain http issuer elsewhere, with a sentence", async () => {
    const base = { intent: "configure", organisationId: "nhs-bury-ccg", clientId: "x", clientSecret: "y", emailDomains: "nhs-bury-ccg.example" };
    for (const tenant of ["common", "organizations"]) {
      const res = await postForm(app.url, "/admin/sign-in", adminCookie, { ...base, issuer: `https://login.microsoftonline.com/${tenant}/v2.0` });
      expect(res.status).toBe(400);
      expect(res.text).toContain("accepts accounts from any Microsoft tenant");
    }
    const http = await postForm(app.url, "/admin/sign-in", adminCookie, { ...base, issuer: "http://idp.example.org" });
    expect(http.status).toBe(400);
    expect(http.text).toContain("must start with https://");
    const member = await login(app.url, ACCOUNTS.councilEditor);
    const forbidden = await postForm(app.url, "/admin/sign-in", member, { ...base, issuer: `https://login.microsoftonline.com/${TENANT}/v2.0` });
    expect(forbidden.status).toBe(403);
  });

  it("answers a callback with no state or an unknown one with 400 and a sentence", async () => {
    const none = await fetch(`${app.url}/auth/oidc/callback?code=abc`);
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Start again from the sign-in page");
    const unknown = await fetch(`${app.url}/auth/oidc/callback?code=abc&state=made-up`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("already been used or has expired");
    const noOrg = await fetch(`${app.url}/auth/oidc/start?organisation=no-such-org`);
    expect(noOrg.status).toBe(404);
  });
});
