import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation";
import * as m0003 from "./0003_workshops";

// A static list survives bundling, unlike a folder scan at run time.
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0003_workshops": m0003,
};
