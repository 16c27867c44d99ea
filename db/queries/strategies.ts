/** Strategies, their themes, and the departments that lead priorities: reference data the seed loads. */
import type { Insertable, Updateable } from "kysely";
import type { DB } from "../connection";
import type { DepartmentTable, PriorityTable, StrategyTable, ThemeTable } from "../schema";

export async function insertStrategyIfAbsent(db: DB, row: Insertable<StrategyTable>): Promise<void> {
  await db.insertInto("strategies").values(row).onConflict((oc) => oc.doNothing()).execute();
}

export async function insertThemeIfAbsent(db: DB, row: Insertable<ThemeTable>): Promise<void> {
  await db.insertInto("themes").values(row).onConflict((oc) => oc.doNothing()).execute();
}

export async function insertDepartmentIfAbsent(db: DB, row: Insertable<DepartmentTable>): Promise<void> {
  await db.insertInto("departments").values(row).onConflict((oc) => oc.doNothing()).execute();
}

export async function insertStrategy(db: DB, row: Insertable<StrategyTable>): Promise<void> {
  await db.insertInto("strategies").values(row).execute();
}

export async function insertTheme(db: DB, row: Insertable<ThemeTable>): Promise<void> {
  await db.insertInto("themes").values(row).execute();
}

export async function insertPriority(db: DB, row: Insertable<PriorityTable>): Promise<void> {
  await db.insertInto("priorities").values(row).execute();
}

export async function updatePriority(db: DB, priorityId: string, row: Updateable<PriorityTable>): Promise<void> {
  await db.updateTable("priorities").set(row).where("id", "=", priorityId).execute();
}
