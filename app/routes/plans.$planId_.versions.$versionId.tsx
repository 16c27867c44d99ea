import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { diffWords } from "diff";
import { readContent, UNREADABLE_NOTICE } from "../../server/documents/lexical-content";
import { DomainError } from "../../server/domain/errors";
import { restoreVersion } from "../../server/domain/versions";
import { canDo } from "../../server/policy";
import { StatusMessage } from "~/components/StatusMessage";
import { Breadcrumbs, PlanNav } from "~/components/accountability";
import { actorOf, requireUser } from "~/utils/auth.server";
import { requirePlanAccess } from "~/utils/plan-access.server";
import { runAction } from "~/utils/responses.server";
import { countPlanDocuments } from "../../db/queries/documents";
import { findPlanVersion, versionDocuments } from "../../db/queries/plan-versions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.version.name ?? "Version"} – Co-design Workspace` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const planId = params.planId ?? "";
  const { role, plan } = await requirePlanAccess(request, context, planId);
  const versionId = Number(params.versionId);
  const { db, sync } = context.app;
  const version = Number.isInteger(versionId)
    ? await findPlanVersion(db, versionId)
    : undefined;
  if (!version || version.plan_id !== planId) throw new Response("There is no such version of this plan.", { status: 404 });
  const docs = await versionDocuments(db, version.id);
  const compare = new URL(request.url).searchParams.get("compare") === "1";
  const texts = [];
  let changed = 0;
  for (const d of docs) {
    const then = JSON.parse(d.paragraphs) as string[];
    if (!compare) {
      texts.push({ documentId: d.document_id, label: d.label, paragraphs: then, diff: null, same: true });
      continue;
    }
    const content = await sync.readDocument(d.document_id, (doc) => readContent(doc));
    const now = content.readable ? content.lines : [UNREADABLE_NOTICE];
    const same = then.length === now.length && then.every((p, i) => p === now[i]);
    if (!same) changed += 1;
    texts.push({
      documentId: d.document_id,
      label: d.label,
      paragraphs: then,
      same,
      diff: same ? null : diffWords(then.join("\n\n"), now.join("\n\n")).map((part) => ({ value: part.value, added: !!part.added, removed: !!part.removed })),
    });
  }
  const current = await countPlanDocuments(db, planId);
  return {
    plan: { id: plan.id, title: plan.title },
    version,
    compare,
    changed,
    texts,
    addedSince: Math.max(0, Number(current?.n ?? 0) - docs.length),
    canRestore: canDo(role, "version:restore"),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const planId = params.planId ?? "";
  const form = Object.fromEntries(await request.formData());
  return runAction(async () => {
    if (form.intent !== "restore") throw new DomainError(400, "That request was not understood. Reload the page and try again.");
    if (form.confirm !== "yes") throw new DomainError(400, "Tick the box to confirm you want to restore this version for every partner.");
    const result = await restoreVersion(context.app, actorOf(user), { planId, versionId: Number(params.versionId) });
    context.app.events.publish({ planId, kind: "version", summary: `${user.name} restored a version: ${result.summary}` });
    return result.summary;
  });
}

export default function VersionView() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { plan, version } = data;
  return (
    <div className="stack-lg">
      <div>
        <Breadcrumbs
          items={[
            { to: "/dashboard", label: "Dashboard" },
            { to: `/plans/${plan.id}`, label: plan.title },
            { to: `/plans/${plan.id}/versions`, label: "Versions" },
            { label: version.name },
          ]}
        />
        <h1>
          {version.name}
          <span className="h1-sub">
            Saved {new Date(version.created_at).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/London" })}
            {version.by ? ` by ${version.by} (${version.organisation})` : ""}
          </span>
        </h1>
        <PlanNav planId={plan.id} />
      </div>
      {version.note ? <p>{version.note}</p> : null}
      <p className="access-note">This is a saved version: read-only. Partners keep drafting the current text on the plan page.</p>
      <StatusMessage result={result} />

      <div className="version-tools">
        <p>
          {data.compare ? (
            <>
              <strong data-testid="changed-count">
                {data.changed} of {data.texts.length} texts
              </strong>{" "}
              differ from the current text. <Link to=".">Show the version only</Link>
            </>
          ) : (
            <Link to="?compare=1" className="button button--secondary">
              Compare with the current text
            </Link>
          )}
        </p>
        {data.addedSince ? (
          <p className="muted">
            {data.addedSince} text{data.addedSince === 1 ? " was" : "s were"} added to the plan after this version; restoring leaves
            {data.addedSince === 1 ? " it" : " them"} as {data.addedSince === 1 ? "it is" : "they are"}.
          </p>
        ) : null}
        {data.canRestore ? (
          <details className="restore">
            <summary>Restore this version</summary>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="restore" />
              <p>
                Every partner's text of this plan goes back to this version, live in their editors. The current text is first saved as a
                version called “Before restoring “{version.name}””, so it can be restored in turn.
              </p>
              <div className="checkbox">
                <input type="checkbox" id="confirm" name="confirm" value="yes" required />
                <label htmlFor="confirm">Yes, restore this version for every partner</label>
              </div>
              <button className="button button--warning" disabled={busy}>
                Restore “{version.name}”
              </button>
            </Form>
          </details>
        ) : null}
      </div>

      {data.compare ? (
        <p className="diff-key">
          Key: <del>removed since this version</del> <ins>added since this version</ins>
        </p>
      ) : null}
      <ol className="version-texts">
        {data.texts
          .filter((t) => !data.compare || !t.same)
          .map((t) => (
            <li key={t.documentId} className="version-text">
              <h2 className="version-text__label">{t.label}</h2>
              {t.diff ? (
                <div className="diff" data-testid="diff">
                  {t.diff.map((part, i) =>
                    part.added ? (
                      <ins key={i}>
                        <span className="visually-hidden">[added: </span>
                        {part.value}
                        <span className="visually-hidden">]</span>
                      </ins>
                    ) : part.removed ? (
                      <del key={i}>
                        <span className="visually-hidden">[removed: </span>
                        {part.value}
                        <span className="visually-hidden">]</span>
                      </del>
                    ) : (
                      <span key={i}>{part.value}</span>
                    ),
                  )}
                </div>
              ) : (
                t.paragraphs.map((p, i) => (
                  <p key={i} className="version-text__p">
                    {p}
                  </p>
                ))
              )}
            </li>
          ))}
      </ol>
      {data.compare && data.changed === 0 ? <p className="empty">The current text is the same as this version.</p> : null}
    </div>
  );
}
