import type { AppLoadContext } from "@remix-run/node";
import { loadWorkshopRecord } from "../../db/queries/workshops";
import { DomainError } from "../../server/domain/errors";
import { requireWorkshopPermission } from "../../server/domain/workshops/access";
import { requireWorkshopCaller } from "./workshop-access.server";

/** The record for someone allowed to read it (facilitators and signed-in participants). */
export async function loadRecordFor(request: Request, context: AppLoadContext, workshopId: string) {
  try {
    const { access } = await requireWorkshopCaller(request, context, workshopId);
    requireWorkshopPermission(access, "workshop:view-record");
    const record = await loadWorkshopRecord(context.app.db, workshopId);
    if (!record) throw new DomainError(404, "There is no workshop at this address.");
    return { record, access };
  } catch (err) {
    if (err instanceof DomainError) throw new Response(err.message, { status: err.status });
    throw err;
  }
}

export function downloadName(title: string, ext: string): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "workshop";
  return `${slug}-record.${ext}`;
}
