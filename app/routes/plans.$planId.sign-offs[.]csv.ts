import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";
import { signOffTrailForPlan } from "../../db/queries/agreement";
import { loadPlan } from "../../db/queries/plans";
import { DomainError } from "../../server/domain/errors";
import { requirePlanRole } from "../../server/domain/plan-access";
import { actorOf, requireUser } from "~/utils/auth.server";

const EVENT_LABEL = { signed: "Signed off", withdrawn: "Withdrew sign-off", status: "Status changed" } as const;

/**
 * The sign-off trail as CSV, for anyone who can see the plan: every sign-off (who, which
 * organisation, when, which text by fingerprint) and every change of agreement it caused.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const planId = params.planId ?? "";
  try {
    await requirePlanRole(context.app.db, actorOf(user), planId);
  } catch (err) {
    if (err instanceof DomainError) throw new Response(err.message, { status: err.status });
    throw err;
  }
  const plan = await loadPlan(context.app.db, planId);
  const rows = await signOffTrailForPlan(context.app.db, planId);
  const csv = stringify(
    rows.map((r) => [
      r.at,
      r.actionId,
      r.actionTitle,
      EVENT_LABEL[r.event],
      r.organisationName ?? "",
      r.personName ?? "",
      r.fingerprint,
      r.fromStatus ?? "",
      r.toStatus ?? "",
      r.description,
    ]),
    {
      header: true,
      columns: [
        "When (UTC)",
        "Action id",
        "Action",
        "Event",
        "Organisation",
        "Person",
        "Text fingerprint (SHA-256)",
        "Status before",
        "Status after",
        "Description",
      ],
      // Cells a spreadsheet would run as formulas are prefixed so they read as text.
      cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) },
    },
  );
  const filename = `sign-off-trail-${(plan?.id ?? planId).replace(/[^a-z0-9-]/gi, "-")}.csv`;
  // A byte-order mark so spreadsheet programs read the names' accents as UTF-8.
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
