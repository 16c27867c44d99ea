// Setup file of the vitest "postgres" project: the databases a test file made are dropped after it.
import { afterAll } from "vitest";
import { dropPlannedDatabases } from "./postgres";

// Dropping waits for the server to end the file's last sessions: more than the default 10 s when
// the machine is busy.
afterAll(async () => {
  await dropPlannedDatabases();
}, 60_000);
