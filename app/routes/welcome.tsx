import type { MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ChoosePasswordForm, ErrorSummary } from "~/components/ChoosePassword";
import { passwordLinkRoute } from "~/utils/password-link.server";

export const meta: MetaFunction = () => [{ title: "Accept your invitation – Co-design Workspace" }];

const route = passwordLinkRoute("invitation");
export const loader = route.loader;
export const action = route.action;

export default function Welcome() {
  const link = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!link.usable) {
    return (
      <div className="narrow">
        <h1>This invitation link cannot be used</h1>
        <p>It has already been used, or it has expired: invitations last 7 days.</p>
        <p>If you have already chosen your password, <Link to="/login">sign in</Link>. Otherwise ask the person who invited you to send a new invitation.</p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Welcome, {link.name}</h1>
      <p className="lead">
        You have been invited to the Co-design Workspace for {link.organisationName}. Choose your password to accept; you will then be signed in as {link.email}.
      </p>
      <ErrorSummary error={result && "error" in result ? result.error : null} />
      <ChoosePasswordForm token={link.token} email={link.email} submitLabel="Set password and sign in" />
    </div>
  );
}
