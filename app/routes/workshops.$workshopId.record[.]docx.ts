import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordToDocx } from "../../server/workshops/record-export";
import { downloadName, loadRecordFor } from "~/utils/workshop-record.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { record } = await loadRecordFor(request, context, params.workshopId ?? "");
  const body = await recordToDocx(record);
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "Content-Disposition": `attachment; filename="${downloadName(record.workshop.title, "docx")}"`,
      "Cache-Control": "no-store",
    },
  });
}
