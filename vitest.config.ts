import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    // better-sqlite3 is a native addon and the sync tests open real sockets: separate processes
    // keep one file's handles and timers from leaking into another.
    pool: "forks",
  },
});
