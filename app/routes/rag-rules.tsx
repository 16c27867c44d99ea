import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { loadRagRules } from "../../server/accountability/delivery";
import { describeRule } from "../../server/accountability/rag";
import { DomainError } from "../../server/domain/errors";
import { addRule, RULE_KINDS, RuleInput, updateRule } from "../../server/domain/rag-rules";
import { canEditRagRules } from "../../server/policy";
import { StatusMessage } from "~/components/StatusMessage";
import { Breadcrumbs, RagBadge } from "~/components/accountability";
import { actorOf, requireUser } from "~/utils/auth.server";
import { runAction } from "~/utils/responses.server";
import { recentRagRuleChanges } from "../../db/queries/audit";

export const meta: MetaFunction = () => [{ title: "RAG rules – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.app;
  const [rules, changes] = await Promise.all([
    loadRagRules(db),
    recentRagRuleChanges(db),
  ]);
  return {
    canEdit: canEditRagRules(actorOf(user)),
    rules: rules.map((r) => ({ ...r, enabled: Boolean(r.enabled), text: describeRule(r) })),
    kinds: RULE_KINDS,
    changes: changes.map((c) => {
      const detail = JSON.parse(c.detail) as { from?: string; to?: string };
      return { id: c.id, event: c.event, from: detail.from ?? null, to: detail.to ?? "", at: c.created_at, by: c.name ? `${c.name} (${c.organisation})` : "" };
    }),
  };
}

function ruleFromForm(form: Record<string, FormDataEntryValue>) {
  return RuleInput.parse({
    colour: form.colour,
    kind: form.kind,
    days: form.days ?? "",
    sinceDays: form.sinceDays ?? "",
    reportStatus: form.reportStatus ?? "",
    enabled: form.enabled === "on",
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = Object.fromEntries(await request.formData());
  return runAction(async () => {
    if (form.intent === "update-rule" && typeof form.ruleId === "string") {
      return updateRule(context.app.db, actorOf(user), form.ruleId, ruleFromForm(form));
    }
    if (form.intent === "add-rule") return addRule(context.app.db, actorOf(user), ruleFromForm({ ...form, enabled: "on" }));
    throw new DomainError(400, "That request was not understood. Reload the page and try again.");
  });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function RagRules() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="stack-lg">
      <div>
        <Breadcrumbs items={[{ to: "/dashboard", label: "Dashboard" }, { label: "RAG rules" }]} />
        <h1>
          RAG rules
          <span className="h1-sub">How the partnership rates delivery, for every plan</span>
        </h1>
        <p className="lead">
          Each action is <strong>red</strong> if any red rule below matches it, otherwise <strong>amber</strong> if any amber rule matches,
          otherwise <strong>green</strong>. Changes apply to every plan's board and report at once; reports already recorded keep the
          statuses they were issued with.
        </p>
      </div>
      <StatusMessage result={result} />
      {!data.canEdit ? <p className="access-note">Only a partnership facilitator can change these rules. Ask your facilitator if a rule seems wrong.</p> : null}

      <section aria-labelledby="rules-title">
        <h2 id="rules-title">The rules in force</h2>
        <ol className="rules" data-testid="rules">
          {data.rules.map((r) => (
            <li key={r.id} className={`rule${r.enabled ? "" : " rule--off"}`} data-rule-id={r.id}>
              <p className="rule__text">
                <RagBadge status={r.colour} /> {r.text}
                {r.enabled ? null : <strong className="rule__off"> (switched off)</strong>}
              </p>
              {data.canEdit ? <RuleForm rule={r} data={data} /> : null}
            </li>
          ))}
        </ol>
      </section>

      {data.canEdit ? (
        <section aria-labelledby="add-rule-title" className="panel">
          <h2 id="add-rule-title">Add a rule</h2>
          <RuleForm data={data} />
        </section>
      ) : null}

      <section aria-labelledby="changes-title">
        <h2 id="changes-title">Recent changes</h2>
        {data.changes.length === 0 ? (
          <p className="muted">The rules are as the workspace set them up. No change yet.</p>
        ) : (
          <table className="table table--compact">
            <caption className="visually-hidden">Recent changes to the RAG rules</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Change</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {data.changes.map((c) => (
                <tr key={c.id}>
                  <td>{new Date(c.at).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/London" })}</td>
                  <td>{c.from ? <>From “{c.from}” to “{c.to}”</> : <>Added “{c.to}”</>}</td>
                  <td>{c.by}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function RuleForm({ rule, data }: { rule?: Data["rules"][number]; data: Data }) {
  const busy = useNavigation().state !== "idle";
  const id = rule?.id ?? "new";
  return (
    <Form method="post" className="rule-form" aria-label={rule ? `Change the rule: ${rule.text}` : "New rule"}>
      <input type="hidden" name="intent" value={rule ? "update-rule" : "add-rule"} />
      {rule ? <input type="hidden" name="ruleId" value={rule.id} /> : null}
      <div className="field">
        <label htmlFor={`colour-${id}`}>Colour</label>
        <select id={`colour-${id}`} name="colour" defaultValue={rule?.colour ?? "amber"}>
          <option value="red">Red</option>
          <option value="amber">Amber</option>
        </select>
      </div>
      {rule ? (
        <input type="hidden" name="kind" value={rule.kind} />
      ) : (
        <div className="field">
          <label htmlFor={`kind-${id}`}>When</label>
          <select id={`kind-${id}`} name="kind" defaultValue="milestone_overdue">
            {data.kinds.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
      )}
      {!rule || rule.kind === "milestone_overdue" || rule.kind === "due_soon_without_update" || rule.kind === "no_recent_update" ? (
        <div className="field">
          <label htmlFor={`days-${id}`}>N (days)</label>
          <input id={`days-${id}`} name="days" type="number" min={0} max={3650} step={1} defaultValue={rule?.days ?? ""} inputMode="numeric" />
        </div>
      ) : null}
      {!rule || rule.kind === "due_soon_without_update" ? (
        <div className="field">
          <label htmlFor={`since-${id}`}>M (days since last update)</label>
          <input id={`since-${id}`} name="sinceDays" type="number" min={0} max={3650} step={1} defaultValue={rule?.since_days ?? ""} inputMode="numeric" />
        </div>
      ) : null}
      {!rule || rule.kind === "owner_reports" ? (
        <div className="field">
          <label htmlFor={`status-${id}`}>Reported status</label>
          <select id={`status-${id}`} name="reportStatus" defaultValue={rule?.report_status ?? ""}>
            {!rule ? <option value="">(only for “owner reports”)</option> : null}
            <option value="at_risk">At risk</option>
            <option value="off_track">Off track</option>
          </select>
        </div>
      ) : null}
      {rule ? (
        <div className="checkbox">
          <input id={`enabled-${id}`} name="enabled" type="checkbox" defaultChecked={rule.enabled} />
          <label htmlFor={`enabled-${id}`}>In force</label>
        </div>
      ) : null}
      <button className="button button--small" disabled={busy}>
        {rule ? "Save rule" : "Add rule"}
      </button>
    </Form>
  );
}
