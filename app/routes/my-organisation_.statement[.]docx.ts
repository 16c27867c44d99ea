import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/utils/auth.server";
import { partnerStatementDocx } from "~/utils/partner-statement.server";

/** GET /my-organisation/statement.docx?asAt=YYYY-MM-DD: the partner's one-page statement in Word. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return partnerStatementDocx(context, user, new URL(request.url));
}
