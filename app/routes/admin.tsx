import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { listOrganisations } from "../../db/queries/plans";
import { createOrganisation, GrantInput, NewOrganisation, setGrant } from "../../server/domain/admin";
import { Invitation, invitePerson, setPersonActive } from "../../server/domain/people";
import { DomainError } from "../../server/domain/errors";
import { canAdminister, canCreatePlan } from "../../server/policy";
import { StatusMessage } from "~/components/StatusMessage";
import { actorOf, linkOrigin, requireUser } from "~/utils/auth.server";
import { runAction } from "~/utils/responses.server";
import { listUsersWithOrganisation } from "../../db/queries/accounts";
import { listGrantsForAdministration } from "../../db/queries/plan-grants";
import { listPlanTitles } from "../../db/queries/plans";

export const meta: MetaFunction = () => [{ title: "Administration – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const actor = actorOf(user);
  if (!canAdminister(actor) && !canCreatePlan(actor)) {
    throw new Response("Only administrators and facilitators can open this page.", { status: 403 });
  }
  const { db } = context.app;
  const [organisations, users, plans, grants] = await Promise.all([
    listOrganisations(db),
    listUsersWithOrganisation(db),
    listPlanTitles(db),
    listGrantsForAdministration(db),
  ]);
  const isAdmin = canAdminister(actor);
  // Found by the start-up scan and read again now, so a text repaired since is gone from the list.
  const unreadable = isAdmin ? await context.app.documentScan.unreadable() : [];
  const titles = new Map(plans.map((p) => [p.id, p.title]));
  return {
    organisations,
    // Whether a person has accepted their invitation, never the hash itself.
    users: users.map(({ password_hash, ...u }) => ({ ...u, invited: password_hash === "" })),
    me: user.userId,
    plans,
    grants,
    isAdmin,
    unreadable: unreadable.map((u) => ({ ...u, planTitle: titles.get(u.planId) ?? u.planId })),
    scanState: context.app.documentScan.state,
    erased: new URL(request.url).searchParams.get("erased") === "1",
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const actor = actorOf(user);
  const form = Object.fromEntries(await request.formData());
  const { db, sync } = context.app;
  return runAction(async () => {
    switch (form.intent) {
      case "create-organisation": {
        const input = NewOrganisation.parse(form);
        await createOrganisation(db, actor, input);
        return `Added ${input.name}.`;
      }
      case "invite": {
        const input = Invitation.parse(form);
        await invitePerson(db, context.app, actor, input, linkOrigin(request, context));
        return context.app.mail.delivering
          ? `Invitation sent to ${input.name} (${input.email}). Their link works for 7 days.`
          : `Invitation written for ${input.name} (${input.email}). No mail server is set up, so it waits in the email outbox.`;
      }
      case "deactivate":
      case "reactivate": {
        const userId = Number(form.userId);
        if (!Number.isSafeInteger(userId)) throw new DomainError(400, "Choose a person from the list.");
        const name = await setPersonActive(db, context.app, actor, userId, form.intent === "reactivate");
        return form.intent === "reactivate" ? `${name} can sign in again.` : `${name} is deactivated: signed out everywhere, and cannot sign in. What they wrote stays under their name.`;
      }
      case "set-grant": {
        const input = GrantInput.parse({ ...form, organisationId: form.organisationId || undefined, userEmail: form.userEmail || undefined });
        const subject = await setGrant(db, actor, input);
        // Connected people get the new right at once: downgraded to read-only, or disconnected.
        await sync.refreshAccess(
          (p) => (subject.userId !== null ? p.userId === subject.userId : p.organisationId === subject.organisationId),
          subject.userId !== null ? { userId: subject.userId } : { organisationId: subject.organisationId ?? undefined },
        );
        return input.role === "none" ? "Access removed." : `Access set to ${input.role}.`;
      }
      default:
        throw new DomainError(400, "That request was not understood. Reload the page and try again.");
    }
  });
}

export default function Admin() {
  const { organisations, users, me, plans, grants, isAdmin, unreadable, scanState, erased } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="stack-lg">
      <h1>Administration</h1>
      {isAdmin ? (
        <p>
          <a href="/admin/sign-in">Sign-in with Microsoft accounts (Entra ID) for an organisation</a>
        </p>
      ) : null}
      <StatusMessage result={result ?? (erased ? { ok: true, message: "The person's data has been erased. What they contributed stays, under “Former member of” their organisation." } : null)} />
      {isAdmin ? <p><a href="/admin/outbox">Email outbox</a>: every email the workspace has written, and whether it was sent.</p> : null}
      {isAdmin && unreadable.length > 0 ? (
        <section className="panel" aria-labelledby="unreadable-title">
          <h2 id="unreadable-title">Texts that could not be read</h2>
          <p>
            These stored texts are not documents the editor can read. Each shows a notice in its place; everything
            else works. A facilitator of the plan can repair one by restoring a saved version.
          </p>
          <ul>
            {unreadable.map((u) => (
              <li key={u.documentId}>
                <a href={`/plans/${encodeURIComponent(u.planId)}/versions`}>{u.planTitle}</a>: text <code>{u.documentId}</code>{" "}
                <span className="muted">({u.reason})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : isAdmin && scanState === "running" ? (
        <p className="muted">Checking that every stored text can be read…</p>
      ) : null}
      <section className="panel" aria-labelledby="grants-title">
        <h2 id="grants-title">Who takes part in each plan</h2>
        <Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="set-grant" />
          <div className="field">
            <label htmlFor="grant-plan">Plan</label>
            <select id="grant-plan" name="planId" required defaultValue="">
              <option value="" disabled>Choose a plan</option>
              {plans.map((p) => (
                <option key={p.id} value={p.id}>{p.title}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="grant-org">Organisation</label>
            <select id="grant-org" name="organisationId" defaultValue="">
              <option value="">(a person instead)</option>
              {organisations.map((o) => (
                <option key={o.id} value={o.id}>{o.name}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="grant-email">or a person's email</label>
            <input id="grant-email" name="userEmail" type="email" />
          </div>
          <div className="field">
            <label htmlFor="grant-role">Right</label>
            <select id="grant-role" name="role" defaultValue="editor">
              <option value="editor">Editor</option>
              <option value="commenter">Commenter</option>
              <option value="viewer">Viewer</option>
              <option value="none">No access</option>
            </select>
          </div>
          <button className="button" disabled={busy}>Set access</button>
        </Form>
        <table className="table table--compact">
          <caption>Current rights</caption>
          <thead>
            <tr><th scope="col">Plan</th><th scope="col">Who</th><th scope="col">Right</th></tr>
          </thead>
          <tbody>
            {grants.map((g) => (
              <tr key={g.id}><td>{g.plan_title}</td><td>{g.organisation_name ?? g.email}</td><td>{g.role}</td></tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-labelledby="user-title">
        <h2 id="user-title">Invite a person</h2>
        <p>They get an email with a link, valid for 7 days and usable once, to choose their own password.</p>
        <Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="invite" />
          <div className="field"><label htmlFor="user-name">Name</label><input id="user-name" name="name" required autoComplete="off" /></div>
          <div className="field"><label htmlFor="user-email">Email</label><input id="user-email" name="email" type="email" required autoComplete="off" spellCheck={false} /></div>
          <div className="field">
            <label htmlFor="user-org">Organisation</label>
            <select id="user-org" name="organisationId" required defaultValue="">
              <option value="" disabled>Choose</option>
              {organisations.map((o) => (<option key={o.id} value={o.id}>{o.name}</option>))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="user-role">Partnership role</label>
            <select id="user-role" name="systemRole" defaultValue="member">
              <option value="member">Member</option>
              <option value="facilitator">Facilitator</option>
              {isAdmin ? <option value="admin">Administrator</option> : null}
            </select>
          </div>
          <button className="button" disabled={busy}>Send invitation</button>
        </Form>
        {isAdmin ? (
          <table className="table table--compact">
            <caption>People</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Organisation</th><th scope="col">Role</th><th scope="col">Account</th></tr></thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>{u.organisation_name}</td>
                  <td>{u.system_role}</td>
                  <td>
                    {u.erased_at ? "Erased" : u.deactivated_at ? "Deactivated" : u.invited ? "Invited, not yet accepted" : "Active"}
                    {u.id !== me && !u.erased_at ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value={u.deactivated_at ? "reactivate" : "deactivate"} />
                        <input type="hidden" name="userId" value={u.id} />
                        <button className="button button--secondary button--small" disabled={busy}>
                          {u.deactivated_at ? "Reactivate" : "Deactivate"}<span className="visually-hidden"> {u.name}</span>
                        </button>
                      </Form>
                    ) : null}
                    {u.id !== me && !u.erased_at ? (
                      <a href={`/admin/people/${u.id}/erase`} className="inline-link">
                        Erase<span className="visually-hidden"> {u.name}'s data</span>
                      </a>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {isAdmin ? (
        <>
          <section className="panel" aria-labelledby="org-title">
            <h2 id="org-title">Add an organisation</h2>
            <Form method="post" className="form-grid">
              <input type="hidden" name="intent" value="create-organisation" />
              <div className="field"><label htmlFor="org-name">Name</label><input id="org-name" name="name" required /></div>
              <div className="field"><label htmlFor="org-short">Short name</label><input id="org-short" name="shortName" required /></div>
              <div className="field">
                <label htmlFor="org-sector">Sector</label>
                <select id="org-sector" name="sector" defaultValue="vcf">
                  {["council", "nhs", "police", "fire", "housing", "education", "business", "vcf", "other"].map((s) => (
                    <option key={s} value={s}>{s === "vcf" ? "Voluntary, community and faith" : s === "nhs" ? "NHS" : s[0]!.toUpperCase() + s.slice(1)}</option>
                  ))}
                </select>
              </div>
              <button className="button" disabled={busy}>Add organisation</button>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  );
}
