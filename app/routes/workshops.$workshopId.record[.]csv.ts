import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordToCsv } from "../../server/workshops/record-export";
import { downloadName, loadRecordFor } from "~/utils/workshop-record.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { record } = await loadRecordFor(request, context, params.workshopId ?? "");
  // A byte-order mark so spreadsheet programs read the text as UTF-8 (curly quotes, names).
  return new Response(`\uFEFF${recordToCsv(record)}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${downloadName(record.workshop.title, "csv")}"`,
      "Cache-Control": "no-store",
    },
  });
}
