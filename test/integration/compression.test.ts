import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type AppServer, login, PLAN_ID, postForm, reopenSeededPlan, startAppServer } from "../helpers/app-server";

/** Issue 14: text responses over 1 KB are gzip-compressed; event streams still stream. */
describe("response compression", () => {
  let server: AppServer;
  let cookie: string;
  beforeAll(async () => {
    server = await startAppServer();
    // The event is an action added to the seeded plan, which the demo keeps archived.
    await reopenSeededPlan(server.url);
    cookie = await login(server.url, ACCOUNTS.nhsEditor);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("gzips the plan page, and still sends the same HTML", async () => {
    const zipped = await fetch(`${server.url}/plans/${PLAN_ID}`, { headers: { Cookie: cookie, "Accept-Encoding": "gzip" } });
    expect(zipped.status).toBe(200);
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    expect(zipped.headers.get("vary") ?? "").toMatch(/accept-encoding/i);
    // fetch inflates the body: the page is whole after the round trip.
    const html = await zipped.text();
    expect(html).toContain("</html>");
    expect(html).toContain("Let");
  });

  it("gzips the built stylesheet and the login page, but not a reply under 1 KB", async () => {
    const login = await fetch(`${server.url}/login`, { headers: { "Accept-Encoding": "gzip" } });
    expect(login.headers.get("content-encoding")).toBe("gzip");
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(await login.text())?.[1];
    expect(css).toMatch(/^\/assets\/.+\.css$/);
    const sheet = await fetch(`${server.url}${css}`, { headers: { "Accept-Encoding": "gzip" } });
    expect(sheet.headers.get("content-encoding")).toBe("gzip");
    const health = await fetch(`${server.url}/healthz`, { headers: { "Accept-Encoding": "gzip" } });
    expect(health.headers.get("content-encoding")).toBeNull();
  });

  it("leaves the plan's event stream uncompressed, so a change reaches an open page at once", async () => {
    const controller = new AbortController();
    try {
      const res = await fetch(`${server.url}/plans/${PLAN_ID}/events`, {
        headers: { Cookie: cookie, "Accept-Encoding": "gzip" },
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-encoding")).toBeNull();
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      // The stream's first bytes (the retry hint) arrive before any event.
      while (!text.includes("retry:")) text += decoder.decode((await reader.read()).value, { stream: true });

      const title = `Compression check ${Date.now()}`;
      const started = Date.now();
      const posted = await postForm(server.url, `/plans/${PLAN_ID}`, cookie, {
        intent: "create-action",
        priorityId: "p-bgi-1",
        title,
        description: "",
        leadOrganisationId: "",
        dueLabel: "",
      });
      expect(posted.status).toBe(200);
      const deadline = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no event within 2 s; got ${JSON.stringify(text)}`)), 2000));
      while (!text.includes(title)) {
        const { value, done } = await Promise.race([reader.read(), deadline]);
        if (done) throw new Error("the stream ended");
        text += decoder.decode(value, { stream: true });
      }
      expect(Date.now() - started).toBeLessThan(2000);
      expect(text).toMatch(/event: change\ndata: .*Compression check/);
    } finally {
      controller.abort();
    }
  });
});
