/** A workshop's ways of working, set by the facilitator: anonymous ideas and self-starting time boxes. */
import type { DB } from "../../../db/connection";
import { writeWorkshopSettings } from "../../../db/queries/workshop-ideas";
import { audit, bumpVersion, recheck, type WorkshopAccess, type WorkshopChange } from "./access";
import { inTransaction } from "../../../db/connection";

export async function setWorkshopOptions(
  db: DB,
  access: WorkshopAccess,
  input: { anonymousIdeas: boolean; autoStartTimer: boolean },
): Promise<WorkshopChange> {
  await inTransaction(db, async (trx) => {
    await recheck(trx, access, "workshop:run");
    await writeWorkshopSettings(trx, access.workshop.id, input);
    await audit(trx, access, "workshop.options_set", input);
    await bumpVersion(trx, access.workshop.id);
  });
  const parts = [
    input.anonymousIdeas
      ? "New ideas are anonymous: stored and shown with no person or organisation."
      : "New ideas show the organisation of the person who added them.",
    input.autoStartTimer ? "Moving to an item starts its timer." : "Moving to an item leaves its timer paused.",
  ];
  return { workshopId: access.workshop.id, summary: parts.join(" "), parts: ["control"] };
}
