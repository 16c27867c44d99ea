/**
 * What the browser downloads holds no server code: a component that imports a value from a
 * db/ or server/ module drags that module, and everything it imports (Kysely, pg, better-sqlite3
 * shims), into the page's JavaScript. The search page did: 52.9 KiB gzip for two marker characters.
 * Reads the production build (`npm test` builds first).
 */
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const ASSETS = path.resolve("build/client/assets");

// Names that only the data layer's dependencies define (pg's and better-sqlite3's error classes,
// the CommonJS shim Rollup writes for Node's dynamic require).
const SERVER_MARKERS = ["SqliteError", "DatabaseError", "Could not dynamically require"];

it("ships no data-layer code to the browser", () => {
  if (!fs.existsSync(ASSETS)) throw new Error("Run `npm run build` first: build/client/assets is missing.");
  const files = fs.readdirSync(ASSETS).filter((f) => f.endsWith(".js"));
  expect(files.length).toBeGreaterThan(10);
  const found = files.flatMap((f) => {
    const text = fs.readFileSync(path.join(ASSETS, f), "utf8");
    return SERVER_MARKERS.filter((m) => text.includes(m)).map((m) => `${f}: ${m}`);
  });
  expect(found).toEqual([]);
});
