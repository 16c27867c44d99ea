import { data as json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CSV_COLUMNS, type ImportProblem } from "../../server/accountability/csv";
import { formatDate, isIsoDate, todayInLondon } from "../../server/accountability/dates";
import { DomainError } from "../../server/domain/errors";
import { importActionsCsv, MAX_IMPORT_BYTES } from "../../server/domain/import-actions";
import { recordStatusReport, StatusReportInput } from "../../server/domain/status-reports";
import { reportWords, saveReportWords } from "../../server/domain/report-settings";
import { pdfAvailable } from "../../server/accountability/report-pdf";
import { canDo } from "../../server/policy";
import { StatusMessage } from "~/components/StatusMessage";
import { Breadcrumbs, PlanNav } from "~/components/accountability";
import { actorOf, requireUser } from "~/utils/auth.server";
import { asAtFrom, requirePlanAccess } from "~/utils/plan-access.server";
import { runAction } from "~/utils/responses.server";
import { listPlanReports } from "../../db/queries/status-reports";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Reports: ${data?.plan.title ?? "plan"} – Co-design Workspace` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const planId = params.planId ?? "";
  const { role, plan } = await requirePlanAccess(request, context, planId);
  const today = todayInLondon();
  const { asAt } = asAtFrom(new URL(request.url), today, isIsoDate);
  const reports = await listPlanReports(context.app.db, planId);
  return {
    plan: { id: plan.id, title: plan.title },
    today,
    asAt,
    reports,
    words: await reportWords(context.app.db, planId),
    pdf: await pdfAvailable(),
    columns: CSV_COLUMNS,
    permissions: { record: canDo(role, "status-report:record"), import: canDo(role, "plan:import"), writeReport: canDo(role, "status-report:record") },
  };
}

type Result = ({ ok: true; message: string } | { ok: false; error: string; problems?: ImportProblem[] }) & {
  intent: "import-csv" | "record-report" | "save-report-words";
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const planId = params.planId ?? "";
  // The body itself was read within the upload limit (server/http/body-limits.ts).
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "import-csv") {
    const file = form.get("file");
    if (!file || typeof file === "string" || file.size === 0) {
      return json<Result>({ intent: "import-csv", ok: false, error: "Choose a CSV file to import." }, { status: 400 });
    }
    if (file.size > MAX_IMPORT_BYTES) {
      return json<Result>({ intent: "import-csv", ok: false, error: "The file is larger than 2 MB. Split it into smaller files and import each." }, { status: 413 });
    }
    try {
      const outcome = await importActionsCsv(context.app.db, context.app.workers, actorOf(user), planId, await file.text());
      if (!outcome.ok) {
        const rows = outcome.problems.filter((p) => p.line > 1).length;
        return json<Result>(
          {
            intent: "import-csv",
            ok: false,
            error: rows
              ? `Nothing was imported: ${rows} row${rows === 1 ? " has" : "s have"} problems. Fix ${rows === 1 ? "it" : "them"} in the file and upload it again.`
              : "Nothing was imported: the file itself has a problem.",
            problems: outcome.problems,
          },
          { status: 400 },
        );
      }
      context.app.events.publish({ planId, kind: "action", summary: `${user.name} imported ${outcome.imported} actions.` });
      return json<Result>({ intent: "import-csv", ok: true, message: outcome.summary });
    } catch (err) {
      if (err instanceof DomainError) return json<Result>({ intent: "import-csv", ok: false, error: err.message }, { status: err.status });
      throw err;
    }
  }
  if (intent === "save-report-words") {
    const saved = await runAction(async () => {
      const fields = Object.fromEntries(
        ["meeting", "meetingDate", "reportOf", "classification", "recommendations", "reasons"].map((k) => [k, form.get(k) ?? ""]),
      );
      const summary = await saveReportWords(context.app.db, actorOf(user), { planId, ...fields });
      context.app.events.publish({ planId, kind: "plan", summary: `${user.name} updated the words of the board report.` });
      return summary;
    });
    return json<Result>({ ...saved.data, intent: "save-report-words" }, saved.init ?? undefined);
  }
  const response = await runAction(async () => {
    if (intent !== "record-report") throw new DomainError(400, "That request was not understood. Reload the page and try again.");
    const input = StatusReportInput.parse({ planId, title: form.get("title"), asAt: form.get("asAt") });
    const recorded = await recordStatusReport(context.app.db, actorOf(user), input);
    context.app.events.publish({ planId, kind: "plan", summary: recorded.summary });
    return recorded.summary;
  });
  return json<Result>({ ...response.data, intent: "record-report" }, response.init ?? undefined);
}

export default function Reports() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state !== "idle";
  const { plan, asAt } = data;
  const base = `/plans/${plan.id}`;
  const importResult = result?.intent === "import-csv" ? result : undefined;
  const reportResult = result?.intent === "record-report" ? result : undefined;
  const wordsResult = result?.intent === "save-report-words" ? result : undefined;
  const problems = importResult && !importResult.ok ? importResult.problems : undefined;
  // The report appears beside the form that asked for it, and takes the focus (GOV.UK error summary).
  const summary = useRef<HTMLElement>(null);
  useEffect(() => {
    if (importResult) summary.current?.focus();
  }, [importResult]);
  return (
    <div className="stack-lg">
      <div>
        <Breadcrumbs items={[{ to: "/dashboard", label: "Dashboard" }, { to: base, label: plan.title }, { label: "Reports and import" }]} />
        <h1>
          Reports and import
          <span className="h1-sub">{plan.title}</span>
        </h1>
        <PlanNav planId={plan.id} />
      </div>
      <section aria-labelledby="download-title" className="panel">
        <h2 id="download-title">Download</h2>
        <Form method="get" className="inline-fields" aria-label="Report date">
          <div className="field">
            <label htmlFor="asAt">Status as at</label>
            <input id="asAt" name="asAt" type="date" defaultValue={asAt} max={data.today} />
          </div>
          <button className="button button--secondary">Use this date</button>
        </Form>
        <ul className="downloads">
          <li>
            <a href={`${base}/report.docx?asAt=${asAt}`} download>
              Partnership board / Cabinet report (Word, as at {formatDate(asAt)})
            </a>
            <p className="hint">
              In the shape of a committee report: cover, contents, summary, recommendations, reasons, background, delivery position,
              exceptions, then every action by priority with its agreed wording and agreement status, and the sign-off trail.
            </p>
          </li>
          <li>
            <a href={`${base}/report.odt?asAt=${asAt}`} download>
              The same report as OpenDocument text (ODF, .odt)
            </a>
          </li>
          <li>
            {data.pdf ? (
              <a href={`${base}/report.pdf?asAt=${asAt}`} download>
                The same report as PDF
              </a>
            ) : (
              <span className="muted">PDF: not available on this server (it needs LibreOffice installed). Download the .odt or Word file and save it as PDF.</span>
            )}
          </li>
          <li>
            <a href={`${base}/actions.csv?asAt=${asAt}`} download>
              All actions (CSV, for spreadsheets)
            </a>
          </li>
          <li>
            <Link to={`${base}/board?asAt=${asAt}`}>Delivery board</Link>: use your browser's Print to print it; navigation and forms are left out
            of the printout.
          </li>
        </ul>
      </section>

      <ReportWordsForm words={data.words} mayWrite={data.permissions.writeReport} result={wordsResult} busy={busy} />

      <section aria-labelledby="record-title">
        <h2 id="record-title">Reports of record</h2>
        <p>
          Recording a report keeps each action's status as the board saw it. The board then shows the direction of travel since the last
          recorded report, even if the rules change later.
        </p>
        <StatusMessage result={reportResult} />
        {data.permissions.record ? (
          <Form method="post" className="panel inline-fields" aria-label="Record a report">
            <input type="hidden" name="intent" value="record-report" />
            <div className="field field--grow">
              <label htmlFor="report-title">Title</label>
              <input id="report-title" name="title" required minLength={3} maxLength={120} placeholder="e.g. Q2 2022-23 partnership board" />
            </div>
            <div className="field">
              <label htmlFor="report-asAt">As at</label>
              <input id="report-asAt" name="asAt" type="date" defaultValue={asAt} max={data.today} required />
            </div>
            <button className="button" disabled={busy}>
              Record report
            </button>
          </Form>
        ) : (
          <p className="muted">A facilitator records the report of record.</p>
        )}
        {data.reports.length === 0 ? (
          <p className="empty">No report recorded for this plan yet.</p>
        ) : (
          <table className="table" data-testid="reports">
            <caption className="visually-hidden">Recorded reports, latest first</caption>
            <thead>
              <tr>
                <th scope="col">Report</th>
                <th scope="col">As at</th>
                <th scope="col" className="num">
                  Red
                </th>
                <th scope="col" className="num">
                  Amber
                </th>
                <th scope="col" className="num">
                  Green
                </th>
                <th scope="col">Recorded by</th>
              </tr>
            </thead>
            <tbody>
              {data.reports.map((r) => (
                <tr key={r.id}>
                  <td>{r.title}</td>
                  <td>{formatDate(r.as_at)}</td>
                  <td className="num">{Number(r.red)}</td>
                  <td className="num">{Number(r.amber)}</td>
                  <td className="num">{Number(r.green)}</td>
                  <td>{r.by}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="import-title">
        <h2 id="import-title">Import actions from a spreadsheet</h2>
        <p>
          Import adds new actions to this plan. Every row is checked first: if any row has a problem, nothing is imported and each bad row
          is listed with its line number. Import never changes an action already in the plan.
        </p>
        <details>
          <summary>What the file should contain</summary>
          <ul className="hint-list">
            <li>
              A header row. Required columns: <strong>Priority code</strong> (one of this plan's, e.g. BGI-1) and <strong>Action</strong>{" "}
              (the title). Optional: Description, Lead partner, Supporting partners, Due, Milestones, KPIs, Recommendations. Other columns
              of an exported file (RAG status, latest update…) are ignored.
            </li>
            <li>Partners by name as the workspace lists them; several supporting partners separated by “;”.</li>
            <li>Milestones one per line: “2022-09-30 Business case approved”, adding “ [done 2022-09-28]” when complete.</li>
            <li>KPIs by code (e.g. OPS-K9) and recommendations by code (e.g. 2.6), separated by “;”.</li>
            <li>Naming another organisation asks it to accept, as on the plan page.</li>
          </ul>
        </details>
        {data.permissions.import ? (
          <Form method="post" encType="multipart/form-data" className="panel inline-fields" aria-label="Import a CSV file">
            <input type="hidden" name="intent" value="import-csv" />
            <div className="field">
              <label htmlFor="file">CSV file (UTF-8, at most 2 MB)</label>
              <input id="file" name="file" type="file" accept=".csv,text/csv" required />
            </div>
            <button className="button" disabled={busy}>
              Check and import
            </button>
          </Form>
        ) : (
          <p className="muted">Editors of this plan can import actions.</p>
        )}
        {importResult ? (
        <section ref={summary} tabIndex={-1} aria-label="Result of the import" className="import-result">
          <StatusMessage result={importResult} />
          {problems?.length ? (
            <section className="error-summary" aria-labelledby="problems-title" data-testid="import-problems">
              <h3 id="problems-title">Rows to fix before anything is imported</h3>
              <table className="table table--compact">
                <caption className="visually-hidden">Problems found in the CSV file, by line</caption>
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Action</th>
                    <th scope="col">What to fix</th>
                  </tr>
                </thead>
                <tbody>
                  {problems.map((p, i) => (
                    <tr key={i} data-line={p.line}>
                      <td>{p.line || "File"}</td>
                      <td>{p.action || <span className="muted">(no title)</span>}</td>
                      <td>
                        <ul>
                          {p.reasons.map((r, j) => (
                            <li key={j}>{r}</li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}
        </section>
        ) : null}
      </section>
    </div>
  );
}

type Words = ReturnType<typeof useLoaderData<typeof loader>>["words"];

/** The facilitator's words for the report: stored, so every download carries the same paper. */
function ReportWordsForm({ words, mayWrite, result, busy }: { words: Words; mayWrite: boolean; result: Result | undefined; busy: boolean }) {
  const recommendations = words.recommendations.split(/\n\s*\n/).filter((s) => s.trim()).length;
  return (
    <section aria-labelledby="words-title" className="panel">
      <h2 id="words-title">Words of the report</h2>
      <p>
        The cover details, the recommendations put to the meeting and the reasons for them are written here, before downloading; the rest of
        the report is made from the plan as it stands.{" "}
        {words.updatedAt ? `Last saved ${formatDate(words.updatedAt.slice(0, 10))}.` : "Nothing saved yet: the report says no recommendations were written."}
      </p>
      <StatusMessage result={result} />
      {mayWrite ? (
        <Form method="post" className="stack" aria-label="Words of the report">
          <input type="hidden" name="intent" value="save-report-words" />
          <div className="inline-fields">
            <div className="field field--grow">
              <label htmlFor="words-meeting">Report to (meeting)</label>
              <input id="words-meeting" name="meeting" required maxLength={120} defaultValue={words.meeting} />
            </div>
            <div className="field">
              <label htmlFor="words-date">Date of meeting</label>
              <input id="words-date" name="meetingDate" type="date" defaultValue={words.meetingDate} />
            </div>
          </div>
          <div className="inline-fields">
            <div className="field field--grow">
              <label htmlFor="words-of">Report of</label>
              <input id="words-of" name="reportOf" required maxLength={200} defaultValue={words.reportOf} />
            </div>
            <div className="field">
              <label htmlFor="words-classification">Classification</label>
              <input id="words-classification" name="classification" required maxLength={60} defaultValue={words.classification} />
            </div>
          </div>
          <div className="field">
            <label htmlFor="words-recommendations">Recommendations</label>
            <p className="hint" id="words-recommendations-hint">
              One recommendation per paragraph (leave a blank line between them); they are numbered 2.1, 2.2… after “That the meeting:”.
            </p>
            <textarea id="words-recommendations" name="recommendations" rows={6} maxLength={10000} aria-describedby="words-recommendations-hint" defaultValue={words.recommendations} />
          </div>
          <div className="field">
            <label htmlFor="words-reasons">Reasons for the recommendations</label>
            <textarea id="words-reasons" name="reasons" rows={4} maxLength={10000} defaultValue={words.reasons} />
          </div>
          <button className="button" disabled={busy}>
            Save the words of the report
          </button>
        </Form>
      ) : (
        <p className="muted">
          A facilitator writes them. {recommendations ? `The report carries ${recommendations} recommendation${recommendations === 1 ? "" : "s"}.` : ""}
        </p>
      )}
    </section>
  );
}
