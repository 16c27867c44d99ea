import type { MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ChoosePasswordForm, ErrorSummary } from "~/components/ChoosePassword";
import { passwordLinkRoute } from "~/utils/password-link.server";

export const meta: MetaFunction = () => [{ title: "Choose a new password – Co-design Workspace" }];

const route = passwordLinkRoute("password_reset");
export const loader = route.loader;
export const action = route.action;

export default function ResetPassword() {
  const link = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!link.usable) {
    return (
      <div className="narrow">
        <h1>This link cannot be used</h1>
        <p>It has already been used, or it has expired: links to reset a password last one hour.</p>
        <p><Link to="/forgot-password">Ask for a new link</Link>, or <Link to="/login">sign in</Link> if you remember your password.</p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Choose a new password</h1>
      <p className="lead">For {link.email}. Once it is saved you are signed in here, and signed out everywhere else.</p>
      <ErrorSummary error={result && "error" in result ? result.error : null} />
      <ChoosePasswordForm token={link.token} email={link.email} submitLabel="Save new password and sign in" />
    </div>
  );
}
