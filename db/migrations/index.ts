import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation";
import * as m0004 from "./0004_accountability";

// A static list survives bundling, unlike a folder scan at run time.
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0004_accountability": m0004,
};
