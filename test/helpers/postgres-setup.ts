// Setup file of the vitest "postgres" project: the databases a test file made are dropped after it.
import { afterAll } from "vitest";
import { dropPlannedDatabases } from "./postgres";

afterAll(async () => {
  await dropPlannedDatabases();
});
