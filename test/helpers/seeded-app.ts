import { afterAll, beforeAll } from "vitest";
import { reopenSeededPlan, startAppServer, type AppServer } from "./app-server";

/**
 * For one test file: the production server on a fresh seeded database with the 2022-23 plan
 * reopened (it is archived in the demo, and tests edit it), stopped after the file. Read `server`
 * inside the tests (it exists once beforeAll has run). The browser tests' twin is
 * seededAppAndBrowser in browser.ts. Its own file: the benches use app-server.ts outside vitest.
 */
export function seededAppServer(): { readonly server: AppServer } {
  const handle = {} as { server: AppServer };
  beforeAll(async () => {
    handle.server = await startAppServer();
    await reopenSeededPlan(handle.server.url);
  }, 90_000);
  afterAll(async () => {
    await handle.server?.stop();
  });
  return handle;
}
