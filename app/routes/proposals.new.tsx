import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ZodError } from "zod";
import { listOrganisations } from "../../db/queries/plans";
import { DomainError } from "../../server/domain/errors";
import { createProposal, NewProposalInput, organisationEditsAPlan } from "../../server/domain/proposals";
import { canCreateEngagementProposal } from "../../server/policy";
import { StatusMessage } from "~/components/StatusMessage";
import { actorOf, requireUser } from "~/utils/auth.server";
import { data as json } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Start an engagement proposal – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.app;
  if (!canCreateEngagementProposal(actorOf(user), await organisationEditsAPlan(db, user.organisationId))) {
    throw new Response(
      "Only partners who co-draft plans can start an engagement proposal. Ask a partner or the facilitator to invite you to comment on one.",
      { status: 403 },
    );
  }
  return { organisations: await listOrganisations(db), me: { organisationId: user.organisationId } };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  try {
    const input = NewProposalInput.parse({
      title: form.get("title") ?? "",
      summary: form.get("summary") ?? "",
      text: form.get("text") ?? "",
      partnerOrganisationIds: form.getAll("partnerOrganisationIds"),
      commenterOrganisationIds: form.getAll("commenterOrganisationIds"),
    });
    const { id } = await createProposal(context.app.db, actorOf(user), input);
    return redirect(`/proposals/${id}`);
  } catch (err) {
    if (err instanceof DomainError) return json({ ok: false as const, error: err.message }, { status: err.status });
    if (err instanceof ZodError) return json({ ok: false as const, error: err.issues.map((i) => i.message).join(" ") }, { status: 400 });
    throw err;
  }
}

export default function NewProposal() {
  const { organisations, me } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const others = organisations.filter((o) => o.id !== me.organisationId);
  return (
    <div className="stack-lg narrow-wide">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/dashboard">Dashboard</Link> <span aria-hidden="true">›</span>{" "}
        <Link to="/proposals">Engagement proposals</Link> <span aria-hidden="true">›</span> New
      </nav>
      <h1>Start an engagement proposal</h1>
      <StatusMessage result={result} />
      <Form method="post" className="stack">
        <div className="field">
          <label htmlFor="title">Title</label>
          <input id="title" name="title" required minLength={5} maxLength={160} />
        </div>
        <div className="field">
          <label htmlFor="summary">Summary (optional)</label>
          <textarea id="summary" name="summary" rows={2} maxLength={500} />
        </div>
        <div className="field">
          <label htmlFor="text">First draft of the text</label>
          <textarea id="text" name="text" rows={8} maxLength={20000} aria-describedby="text-hint" />
          <p className="hint" id="text-hint">
            Leave a blank line between paragraphs. Partners co-draft it live afterwards.
          </p>
        </div>
        <fieldset className="checkboxes">
          <legend>Partners who co-draft it with your organisation</legend>
          {others
            .filter((o) => o.sector !== "vcf" || o.id === "bury-vcf-alliance")
            .map((o) => (
              <div key={o.id} className="checkbox">
                <input type="checkbox" id={`partner-${o.id}`} name="partnerOrganisationIds" value={o.id} />
                <label htmlFor={`partner-${o.id}`}>{o.name}</label>
              </div>
            ))}
        </fieldset>
        <fieldset className="checkboxes">
          <legend>Organisations invited to comment</legend>
          {others
            .filter((o) => o.sector === "vcf")
            .map((o) => (
              <div key={o.id} className="checkbox">
                <input
                  type="checkbox"
                  id={`commenter-${o.id}`}
                  name="commenterOrganisationIds"
                  value={o.id}
                  defaultChecked={o.id !== "bury-vcf-alliance"}
                />
                <label htmlFor={`commenter-${o.id}`}>{o.name}</label>
              </div>
            ))}
          <p className="hint">Commenting organisations read the text live and comment on it; they cannot change it. You can invite more later.</p>
        </fieldset>
        <button className="button" disabled={busy}>
          Start proposal
        </button>
      </Form>
    </div>
  );
}
