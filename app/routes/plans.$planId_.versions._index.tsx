import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DomainError } from "../../server/domain/errors";
import { saveVersion, VersionInput } from "../../server/domain/versions";
import { canDo } from "../../server/policy";
import { StatusMessage } from "~/components/StatusMessage";
import { Breadcrumbs, PlanNav } from "~/components/accountability";
import { actorOf, requireUser } from "~/utils/auth.server";
import { requirePlanAccess } from "~/utils/plan-access.server";
import { runAction } from "~/utils/responses.server";
import { listPlanVersions } from "../../db/queries/plan-versions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Versions: ${data?.plan.title ?? "plan"} – Co-design Workspace` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const planId = params.planId ?? "";
  const { role, plan } = await requirePlanAccess(request, context, planId);
  const versions = await listPlanVersions(context.app.db, planId);
  return { plan: { id: plan.id, title: plan.title }, versions, canSave: canDo(role, "version:save") };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const planId = params.planId ?? "";
  const form = Object.fromEntries(await request.formData());
  return runAction(async () => {
    if (form.intent !== "save-version") throw new DomainError(400, "That request was not understood. Reload the page and try again.");
    const saved = await saveVersion(context.app, actorOf(user), VersionInput.parse({ planId, name: form.name, note: form.note ?? "" }));
    context.app.events.publish({ planId, kind: "version", summary: `${user.name} saved the version “${String(form.name).trim()}”.` });
    return saved.summary;
  });
}

export default function Versions() {
  const { plan, versions, canSave } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="stack-lg">
      <div>
        <Breadcrumbs items={[{ to: "/dashboard", label: "Dashboard" }, { to: `/plans/${plan.id}`, label: plan.title }, { label: "Versions" }]} />
        <h1>
          Versions
          <span className="h1-sub">{plan.title}</span>
        </h1>
        <PlanNav planId={plan.id} />
      </div>
      <p className="lead">
        A named version keeps the text of the overview and every action description as it is now. Open one to read it, compare it with
        today's text word by word, or restore it. Restoring keeps the current text as a version first: nothing is overwritten or lost.
      </p>
      <StatusMessage result={result} />
      {canSave ? (
        <Form method="post" className="panel inline-fields" aria-label="Save a named version">
          <input type="hidden" name="intent" value="save-version" />
          <div className="field">
            <label htmlFor="version-name">Name of the version</label>
            <input id="version-name" name="name" required minLength={3} maxLength={120} placeholder="e.g. Agreed at the March board" />
          </div>
          <div className="field field--grow">
            <label htmlFor="version-note">Note (optional)</label>
            <input id="version-note" name="note" maxLength={2000} />
          </div>
          <button className="button" disabled={busy}>
            Save version
          </button>
        </Form>
      ) : (
        <p className="muted">Editors of this plan can save and restore versions; you can read them.</p>
      )}
      {versions.length === 0 ? (
        <p className="empty">No version saved yet.</p>
      ) : (
        <table className="table" data-testid="versions">
          <caption className="visually-hidden">Saved versions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Saved</th>
              <th scope="col">By</th>
              <th scope="col">Texts</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td>
                  <Link to={`/plans/${plan.id}/versions/${v.id}`}>{v.name}</Link>
                  {v.kind !== "named" ? <span className="tag tag--quiet">{v.kind === "restored" ? "restore" : "automatic"}</span> : null}
                  {v.note ? <p className="hint">{v.note}</p> : null}
                </td>
                <td>{new Date(v.created_at).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/London" })}</td>
                <td>{v.by ? `${v.by} (${v.organisation})` : ""}</td>
                <td>{Number(v.documents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
