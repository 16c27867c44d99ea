// `npm run bench`: runs every bench/*.bench.ts in its own process, one after another, against
// the production build. Each prints its own figures; nothing here asserts a target.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const only = process.argv.slice(2);
const dir = path.dirname(new URL(import.meta.url).pathname);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
if (files.length === 0) {
  console.log(only.length ? `No benchmark matches ${only.join(", ")}.` : "No benchmarks found in bench/.");
  process.exit(0);
}
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const started = Date.now();
  const res = spawnSync(process.execPath, ["--import", "tsx", path.join(dir, file)], { stdio: "inherit" });
  console.log(`=== ${file}: ${res.status === 0 ? "done" : `FAILED (exit ${res.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
  if (res.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
