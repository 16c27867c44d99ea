import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listProposalsForActor } from "../../server/domain/plan-visibility";
import { organisationEditsAPlan } from "../../server/domain/proposals";
import { canCreateEngagementProposal } from "../../server/policy";
import { actorOf, requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Engagement proposals – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.app;
  const actor = actorOf(user);
  const [proposals, editsAPlan] = await Promise.all([
    listProposalsForActor(db, actor),
    organisationEditsAPlan(db, user.organisationId),
  ]);
  return { proposals, canCreate: canCreateEngagementProposal(actor, editsAPlan) };
}

export default function ProposalsOverview() {
  const { proposals, canCreate } = useLoaderData<typeof loader>();
  return (
    <div className="stack-lg">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/dashboard">Dashboard</Link> <span aria-hidden="true">›</span> Engagement proposals
      </nav>
      <div>
        <h1>Engagement proposals</h1>
        <p className="lead">
          Proposals partners co-draft and voluntary, community and faith groups comment on, with the power-sharing record each
          partner agrees to.
        </p>
        {canCreate ? (
          <p>
            <Link to="/proposals/new" className="button">
              Start an engagement proposal
            </Link>
          </p>
        ) : null}
      </div>
      {proposals.length === 0 ? (
        <p className="empty">
          You have not been invited to any engagement proposal yet.{" "}
          {canCreate ? "Start one above." : "A partner or the facilitator can invite your organisation to comment."}
        </p>
      ) : (
        <table className="table stack-narrow" data-testid="proposals-overview">
          <caption className="visually-hidden">Engagement proposals with their comment threads by organisation</caption>
          <thead>
            <tr>
              <th scope="col">Proposal</th>
              <th scope="col">Open comments</th>
              <th scope="col">Resolved comments</th>
              <th scope="col">Comments by organisation (open / resolved)</th>
            </tr>
          </thead>
          <tbody>
            {proposals.map((p) => (
              <tr key={p.id}>
                <td data-label="Proposal">
                  <Link to={`/proposals/${p.id}`}>{p.title}</Link>
                  <div className="muted">
                    {p.status} · {p.commitments} {p.commitments === 1 ? "commitment" : "commitments"} · your access:{" "}
                    {p.role === "facilitator" ? "facilitator" : p.role === "editor" ? "can edit" : p.role === "commenter" ? "can comment" : "can view"}
                  </div>
                </td>
                <td data-label="Open comments">{p.open}</td>
                <td data-label="Resolved comments">{p.resolved}</td>
                <td data-label="Comments by organisation (open / resolved)">
                  {p.byOrganisation.length === 0 ? (
                    <span className="muted">No comments yet</span>
                  ) : (
                    <ul className="plain-list">
                      {p.byOrganisation.map((o) => (
                        <li key={o.organisationId}>
                          {o.organisationName}: {o.open} open / {o.resolved} resolved
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
