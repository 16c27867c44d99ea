/** Priorities of strategies, as plans take them up. */
import type { DB } from "../connection";

export async function prioritiesByIds(db: DB, ids: string[]) {
  return db.selectFrom("priorities").select(["id", "code", "title"]).where("id", "in", ids).execute();
}
