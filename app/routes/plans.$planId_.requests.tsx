import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { pendingRequestsForOrganisation } from "../../db/queries/plans";
import { refuseIfArchived, requirePlanRole } from "../../server/domain/plan-access";
import { acceptAllRequests } from "../../server/domain/plan-cycle";
import { canRespondToOwnership } from "../../server/policy";
import { StatusMessage } from "~/components/StatusMessage";
import { OwnerBadge, roleLabel } from "~/components/ownership";
import { actorOf, requireUser } from "~/utils/auth.server";
import { handleOwnershipIntent } from "~/utils/ownership-intents.server";
import { requirePlanAccess } from "~/utils/plan-access.server";
import { runAction } from "~/utils/responses.server";
import { planActionHref } from "~/utils/plan-filters";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Requests for ${data?.me.organisationName ?? "your organisation"}: ${data?.plan.title ?? "plan"} – Co-design Workspace` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const planId = params.planId ?? "";
  const { user, actor, role, plan } = await requirePlanAccess(request, context, planId);
  const requests = await pendingRequestsForOrganisation(context.app.db, user.organisationId, [planId]);
  return {
    plan: { id: plan.id, title: plan.title },
    me: { organisationId: user.organisationId, organisationName: user.organisationName },
    requests,
    canAnswer: canRespondToOwnership(actor, role, { organisation_id: user.organisationId, status: "pending" }),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const planId = params.planId ?? "";
  const form = Object.fromEntries(await request.formData());
  const { db, sync, events } = context.app;
  return runAction(async () => {
    await requirePlanRole(db, actorOf(user), planId);
    await refuseIfArchived(db, planId);
    if (form.intent === "accept-all") {
      const done = await acceptAllRequests(db, sync, actorOf(user), { planId, organisationId: user.organisationId });
      events.publish({ planId, kind: "ownership", actorName: `${user.name} (${user.organisationName})`, summary: done.summary });
      return done.summary;
    }
    return handleOwnershipIntent(context, user, form);
  });
}

export default function PlanRequests() {
  const { plan, me, requests, canAnswer } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="stack-lg">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/plans">All plans</Link> <span aria-hidden="true">›</span> <Link to={`/plans/${plan.id}`}>{plan.title}</Link>{" "}
        <span aria-hidden="true">›</span> Requests
      </nav>
      <h1>
        Requests waiting for {me.organisationName}
        <span className="h1-sub">{plan.title}</span>
      </h1>
      <p>Ownership is agreed per plan, on equal terms: only an editor of {me.organisationName} accepts or declines these.</p>
      <StatusMessage result={result} />
      {requests.length === 0 ? (
        <p className="muted" data-testid="no-requests">
          Nothing to answer: no partner has asked {me.organisationName} to lead or support an action in this plan.
        </p>
      ) : (
        <>
          {canAnswer ? (
            <Form method="post">
              <button className="button" name="intent" value="accept-all" disabled={busy}>
                Accept all {requests.length} request{requests.length === 1 ? "" : "s"} for {me.organisationName}
              </button>
            </Form>
          ) : (
            <p className="muted">An editor from your organisation can accept or decline these.</p>
          )}
          <ul className="request-list">
            {requests.map((r) => (
              <li key={`${r.action_id}-${r.role}`} className="request" data-testid="request">
                <p>
                  <strong>{r.requested_by_name ?? "A partner"}</strong>
                  {r.requested_by_organisation ? ` (${r.requested_by_organisation})` : ""} asks {me.organisationName} to be{" "}
                  <strong>{roleLabel(r.role)}</strong> for <Link to={planActionHref(plan.id, r.action_id)}>{r.title}</Link>{" "}
                  <OwnerBadge role={r.role} status="pending" />
                </p>
                {canAnswer ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="actionId" value={r.action_id} />
                    <input type="hidden" name="organisationId" value={me.organisationId} />
                    <button className="button button--secondary" name="intent" value="accept-ownership" disabled={busy} aria-label={`Accept ${r.title}`}>
                      Accept
                    </button>
                    <button className="button button--secondary" name="intent" value="decline-ownership" disabled={busy} aria-label={`Decline ${r.title}`}>
                      Decline
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
