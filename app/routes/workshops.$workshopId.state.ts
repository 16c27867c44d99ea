import type { LoaderFunctionArgs } from "@remix-run/node";
import { DomainError } from "../../server/domain/errors";
import { findParticipantId } from "../../server/domain/workshops/access";
import { requireWorkshopCaller } from "~/utils/workshop-access.server";

/**
 * The same snapshot the event stream starts with, as JSON: for scripts, checks and tools that
 * do not hold a stream open. Guests get it for their own workshop only.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const workshopId = params.workshopId ?? "";
  try {
    const { access } = await requireWorkshopCaller(request, context, workshopId);
    const participantId = await findParticipantId(context.app.db, access);
    const snapshot = await context.app.workshops.snapshot(workshopId, participantId);
    return Response.json(
      { serverNow: Date.now(), role: access.role, participantId, snapshot },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (err) {
    if (err instanceof DomainError) return Response.json({ error: err.message }, { status: err.status });
    throw err;
  }
}
