import type { LoaderFunctionArgs } from "@remix-run/node";
import { DomainError } from "../../server/domain/errors";
import { loadProposalPage } from "~/utils/proposal-page.server";
import { requireUser } from "~/utils/auth.server";

/**
 * The proposal's comment threads as JSON, with the same visibility rules as the page (hidden words
 * only for their author and facilitators), whether each is detached, and the words each points at now.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  try {
    const page = await loadProposalPage(context, user, params.planId ?? "", { recordVisit: false });
    return Response.json({ planId: page.plan.id, threads: page.threads });
  } catch (err) {
    if (err instanceof DomainError) return Response.json({ error: err.message }, { status: err.status });
    throw err;
  }
}
