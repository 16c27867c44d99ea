import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { listIdentityProviders } from "../../db/queries/identity-providers";
import { listOrganisations } from "../../db/queries/plans";
import { DomainError } from "../../server/domain/errors";
import { configureIdentityProvider, IdentityProviderInput, removeIdentityProvider } from "../../server/identity/admin";
import { canAdminister } from "../../server/policy";
import { StatusMessage } from "~/components/StatusMessage";
import { actorOf, requireUser } from "~/utils/auth.server";
import { oidcRedirectUri } from "~/utils/oidc.server";
import { runAction } from "~/utils/responses.server";

export const meta: MetaFunction = () => [{ title: "Sign-in with Microsoft accounts – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  if (!canAdminister(actorOf(user))) throw new Response("Only administrators can open this page.", { status: 403 });
  const { db } = context.app;
  const [organisations, providers] = await Promise.all([listOrganisations(db), listIdentityProviders(db)]);
  return {
    organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
    // listIdentityProviders leaves the client secret out: it never reaches a page.
    providers: providers.map((p) => ({ ...p, email_domains: (JSON.parse(p.email_domains) as string[]).join(", ") })),
    redirectUri: oidcRedirectUri(request, context),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const actor = actorOf(user);
  const form = Object.fromEntries(await request.formData());
  const { db, config } = context.app;
  return runAction(async () => {
    switch (form.intent) {
      case "configure":
        return configureIdentityProvider(db, actor, IdentityProviderInput.parse(form), { allowHttpLoopback: config.oidcAllowHttpLoopback });
      case "remove":
        return removeIdentityProvider(db, actor, String(form.organisationId ?? ""));
      default:
        throw new DomainError(400, "That request was not understood. Reload the page and try again.");
    }
  });
}

export default function AdminSignIn() {
  const { organisations, providers, redirectUri } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="stack-lg">
      <p><Link to="/admin">Back to administration</Link></p>
      <h1>Sign-in with Microsoft accounts</h1>
      <StatusMessage result={result} />
      <p>
        Members of an organisation set up here see “Sign in with &lt;organisation&gt;'s Microsoft account” on the
        sign-in page. Register this workspace in the organisation's Entra ID with the redirect URI{" "}
        <code>{redirectUri}</code> (the README has the steps).
      </p>
      <section className="panel" aria-labelledby="configured-title">
        <h2 id="configured-title">Organisations that sign in with Microsoft</h2>
        {providers.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <table className="table table--compact">
            <caption>Configured organisations</caption>
            <thead>
              <tr>
                <th scope="col">Organisation</th>
                <th scope="col">Issuer</th>
                <th scope="col">Client id</th>
                <th scope="col">Email domains</th>
                <th scope="col">Client secret</th>
                <th scope="col"><span className="visually-hidden">Remove</span></th>
              </tr>
            </thead>
            <tbody>
              {providers.map((p) => (
                <tr key={p.organisation_id}>
                  <td>{p.organisation_name}</td>
                  <td><code>{p.issuer}</code></td>
                  <td><code>{p.client_id}</code></td>
                  <td>{p.email_domains}</td>
                  <td>Stored (last changed {p.updated_at.slice(0, 10)})</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="organisationId" value={p.organisation_id} />
                      <button className="button button--small button--warning" disabled={busy}>
                        Remove Microsoft sign-in for {p.organisation_short_name}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="configure-title">
        <h2 id="configure-title">Set up or change an organisation</h2>
        <Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="configure" />
          <div className="field">
            <label htmlFor="idp-org">Organisation</label>
            <select id="idp-org" name="organisationId" required defaultValue="">
              <option value="" disabled>Choose</option>
              {organisations.map((o) => (<option key={o.id} value={o.id}>{o.name}</option>))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="idp-issuer">Issuer</label>
            <input id="idp-issuer" name="issuer" required spellCheck={false} aria-describedby="idp-issuer-hint" />
            <p id="idp-issuer-hint" className="muted">https://login.microsoftonline.com/&lt;Directory (tenant) ID&gt;/v2.0. The common and organizations endpoints are refused.</p>
          </div>
          <div className="field">
            <label htmlFor="idp-tenant">Directory (tenant) ID (optional)</label>
            <input id="idp-tenant" name="tenantId" spellCheck={false} aria-describedby="idp-tenant-hint" />
            <p id="idp-tenant-hint" className="muted">Taken from the issuer for Entra ID; tokens from any other tenant are refused.</p>
          </div>
          <div className="field">
            <label htmlFor="idp-client">Application (client) ID</label>
            <input id="idp-client" name="clientId" required spellCheck={false} />
          </div>
          <div className="field">
            <label htmlFor="idp-secret">Client secret value</label>
            <input id="idp-secret" name="clientSecret" type="password" autoComplete="off" aria-describedby="idp-secret-hint" />
            <p id="idp-secret-hint" className="muted">Kept on the server and never shown again. Leave empty when changing other settings to keep the stored one.</p>
          </div>
          <div className="field">
            <label htmlFor="idp-domains">Email domains</label>
            <input id="idp-domains" name="emailDomains" required spellCheck={false} aria-describedby="idp-domains-hint" />
            <p id="idp-domains-hint" className="muted">Separated by commas, like bury.gov.uk, burycouncil.onmicrosoft.com.</p>
          </div>
          <button className="button" disabled={busy}>Save sign-in settings</button>
        </Form>
      </section>
    </div>
  );
}
