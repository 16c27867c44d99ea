import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, login, startAppServer, type AppServer } from "../helpers/app-server";

/** Issue 14: an unknown address answers 404 with a page a person can leave, not Remix's developer text. */
describe("the page-not-found page", () => {
  let server: AppServer;
  let cookie: string;
  beforeAll(async () => {
    server = await startAppServer();
    cookie = await login(server.url, ACCOUNTS.nhsEditor);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("answers 404 with the signed-in header and ways back", async () => {
    const res = await fetch(`${server.url}/no/such/page`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain("<h1>Page not found</h1>");
    expect(html).toContain("There is no page at /no/such/page.");
    expect(html).not.toMatch(/no route matches/i);
    expect(html).toContain('href="/dashboard"');
    expect(html).toContain('href="/plans"');
    // The signed-in header (and its main navigation) is there, as on every other page.
    expect(html).toContain("Rahul Mistry");
    expect(html).toContain('aria-label="Main"');
  });

  it("offers the home page and sign-in to someone not signed in", async () => {
    const res = await fetch(`${server.url}/nothing-here`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("<h1>Page not found</h1>");
    expect(html).toContain('href="/login"');
    expect(html).not.toMatch(/no route matches/i);
  });

  it("says which thing is missing when a plan does not exist", async () => {
    const res = await fetch(`${server.url}/plans/no-such-plan`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("<h1>Page not found</h1>");
    expect(html).toContain('href="/dashboard"');
  });
});
