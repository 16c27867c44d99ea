import { z } from "zod";
import type { DB } from "../../../db/connection";
import { inTransaction, nowIso } from "../../../db/connection";
import { findWorkshopByGuestCode, insertParticipant, workshopStatus } from "../../../db/queries/workshops";
import { createGuestSession } from "../../auth/guest-sessions";
import { DomainError } from "../errors";
import { bumpVersion } from "./access";
import { normaliseGuestCode } from "./setup";

export const GuestJoinInput = z.object({
  code: z
    .string({ required_error: "Enter the workshop code shown by the facilitator." })
    .transform(normaliseGuestCode)
    .pipe(z.string().min(1, "Enter the workshop code shown by the facilitator.").max(16, "That is not a workshop code: codes have 8 letters and numbers.")),
  displayName: z
    .string({ required_error: "Enter the name you would like others in the workshop to see." })
    .trim()
    .min(1, "Enter the name you would like others in the workshop to see.")
    .max(60, "Keep your name under 60 characters."),
});

export class GuestCodeError extends DomainError {}

/**
 * A person without an account joins one workshop with its code and a display name. They get an
 * attendance row and a guest session for that workshop only.
 */
export async function joinAsGuest(
  db: DB,
  raw: unknown,
): Promise<{ workshopId: string; participantId: number; token: string; title: string }> {
  const input = GuestJoinInput.parse(raw);
  const workshop = await findWorkshopByGuestCode(db, input.code);
  if (!workshop) {
    throw new GuestCodeError(404, "No workshop has this code. Check the code on the screen, or ask the facilitator.");
  }
  const expired = () =>
    new DomainError(403, "This workshop code has expired: the facilitator has closed the workshop. Thank you for taking part.");
  if (workshop.status === "closed") throw expired();
  return inTransaction(db, async (trx) => {
    // Again inside the transaction: a join racing the close must not outlive it.
    if ((await workshopStatus(trx, workshop.id)) === "closed") throw expired();
    const participantId = await insertParticipant(trx, {
      workshop_id: workshop.id,
      user_id: null,
      organisation_id: null,
      display_name: input.displayName,
      kind: "guest",
      joined_at: nowIso(),
    });
    const { token } = await createGuestSession(trx, workshop.id, participantId);
    await bumpVersion(trx, workshop.id);
    return { workshopId: workshop.id, participantId, token, title: workshop.title };
  });
}
