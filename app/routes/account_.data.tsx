import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { personalDataOf } from "../../server/domain/personal-data";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Your data – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return personalDataOf(context.app.db, user.userId);
}

/** Plain names for the tables a person's rows come from; a table not named here shows its own name. */
const TABLE_LABEL: Record<string, string> = {
  users: "Your account",
  sessions: "Where you are signed in",
  comments: "Comments you wrote or hid",
  comment_threads: "Comment threads you started or resolved",
  comment_events: "Things you did to comments",
  notifications: "Notifications to you or caused by you",
  proposal_visits: "Proposals you visited",
  workshop_participants: "Workshops you took part in",
  workshop_ideas: "Ideas you added in workshops",
  workshop_dots: "Your votes (dots) in workshops",
  workshop_poll_answers: "Your answers to workshop polls",
  workshop_poll_answer_history: "Earlier answers to workshop polls",
  progress_updates: "Progress updates you wrote",
  sign_offs: "Sign-offs you made for your organisation",
  suggestions: "Suggestions you made or decided",
  audit_log: "The audit trail: what you did, and what was done to your account",
  document_updates: "Your edits to plan texts (the words are in the plans)",
  mail_outbox: "Emails to you",
  account_tokens: "Invitation and password links sent to you",
  identity_links: "Your organisation's Microsoft account, linked",
  plan_grants: "Rights you hold or gave",
};

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export default function YourData() {
  const data = useLoaderData<typeof loader>();
  const tables = Object.entries(data.tables);
  return (
    <div className="stack-lg">
      <h1>Your data</h1>
      <p>
        Everything the workspace holds about you on {data.generatedAt.slice(0, 10)}. You can also{" "}
        <a href="/account/data.json" download>download it as a JSON file</a>, and go back to <a href="/account">your account</a>.
      </p>
      <section aria-labelledby="profile-title" className="panel">
        <h2 id="profile-title">Profile</h2>
        <dl className="details">
          <dt>Name</dt><dd>{data.profile.name}</dd>
          <dt>Email</dt><dd>{data.profile.email}</dd>
          <dt>Job title</dt><dd>{data.profile.jobTitle || "None given"}</dd>
          <dt>Organisation</dt><dd>{data.profile.organisation}</dd>
          <dt>Partnership role</dt><dd>{data.profile.role}</dd>
          <dt>Account created</dt><dd>{data.profile.createdAt}</dd>
        </dl>
      </section>
      {tables.map(([table, rows]) => {
        const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
        return (
          <section key={table} aria-labelledby={`t-${table}`} className="panel">
            <h2 id={`t-${table}`}>{TABLE_LABEL[table] ?? table.replace(/_/g, " ")}</h2>
            <div className="table-scroll" role="region" aria-labelledby={`t-${table}`} tabIndex={0}>
              <table className="table table--compact">
                <caption>{rows.length} {rows.length === 1 ? "entry" : "entries"}</caption>
                <thead>
                  <tr>{columns.map((c) => <th key={c} scope="col">{c.replace(/_/g, " ")}</th>)}</tr>
                </thead>
                <tbody>
                  {rows.map((r, i) => (
                    <tr key={i}>{columns.map((c) => <td key={c}>{cell(r[c])}</td>)}</tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
    </div>
  );
}
