import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { formatDate } from "../../server/accountability/dates";
import { Breadcrumbs } from "~/components/accountability";
import { ReportBlocks } from "~/components/report-blocks";
import { requireUser } from "~/utils/auth.server";
import { partnerStatement } from "~/utils/partner-statement.server";

export const meta: MetaFunction = () => [{ title: "Partner statement – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return partnerStatement(context, user, new URL(request.url));
}

/** The partner's one-page statement as a page (print it, or download the Word file). */
export default function PartnerStatement() {
  const { asAt, today, report } = useLoaderData<typeof loader>();
  return (
    <div className="stack-lg statement">
      <div className="no-print">
        <Breadcrumbs items={[{ to: "/dashboard", label: "Dashboard" }, { to: "/my-organisation", label: "My organisation" }, { label: "Partner statement" }]} />
      </div>
      <article aria-label={report.title} data-testid="partner-statement">
        <ReportBlocks blocks={report.blocks} />
      </article>
      <section className="panel no-print" aria-labelledby="statement-download">
        <h2 id="statement-download">Take it to your board</h2>
        <p>
          <a href={`/my-organisation/statement.docx?asAt=${asAt}`} download>
            Download this statement (Word, as at {formatDate(asAt)})
          </a>{" "}
          or use your browser's Print for a one-page printout.
        </p>
        <Form method="get" className="inline-fields" aria-label="Statement date">
          <div className="field">
            <label htmlFor="statement-asAt">Status as at</label>
            <input id="statement-asAt" name="asAt" type="date" defaultValue={asAt} max={today} />
          </div>
          <button className="button button--secondary">Use this date</button>
        </Form>
      </section>
    </div>
  );
}
