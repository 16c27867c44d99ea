/** Strategies, their themes, and the departments that lead priorities: reference data the seed loads. */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { DepartmentTable, StrategyTable, ThemeTable } from "../schema";

export async function insertStrategyIfAbsent(db: DB, row: Insertable<StrategyTable>): Promise<void> {
  await db.insertInto("strategies").values(row).onConflict((oc) => oc.doNothing()).execute();
}

export async function insertThemeIfAbsent(db: DB, row: Insertable<ThemeTable>): Promise<void> {
  await db.insertInto("themes").values(row).onConflict((oc) => oc.doNothing()).execute();
}

export async function insertDepartmentIfAbsent(db: DB, row: Insertable<DepartmentTable>): Promise<void> {
  await db.insertInto("departments").values(row).onConflict((oc) => oc.doNothing()).execute();
}
