import type { LoaderFunctionArgs } from "@remix-run/node";
import { personalDataOf } from "../../server/domain/personal-data";
import { requireUser } from "~/utils/auth.server";

/** The person's own data as one JSON file (UK GDPR right of access, in a machine-readable form). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const data = await personalDataOf(context.app.db, user.userId);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="co-design-workspace-my-data-${data.generatedAt.slice(0, 10)}.json"`,
      // Personal data: never kept by a shared proxy or the browser's cache.
      "Cache-Control": "no-store",
    },
  });
}
