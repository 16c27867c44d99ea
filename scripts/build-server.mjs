// Bundles the Node server (HTTP + Remix + sync) into one ESM file beside Remix's own build, and
// the worker threads' entry beside it (server/workers/pool.ts looks for ./worker.js there).
import { build } from "esbuild";

await build({
  entryPoints: { server: "server/index.ts", worker: "server/workers/worker.ts" },
  outdir: "build/app",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  // Native and heavy modules stay in node_modules; Vite is only for development.
  packages: "external",
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: "warning",
});
