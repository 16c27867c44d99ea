import { Form, useNavigation } from "@remix-run/react";

/** The fields for choosing a password, shared by the invitation, reset and account pages. */
export function PasswordFields({ idPrefix }: { idPrefix: string }) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-password`}>New password</label>
        <p className="hint" id={`${idPrefix}-password-hint`}>At least 12 characters. A few unrelated words make a good one.</p>
        <input
          id={`${idPrefix}-password`}
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          maxLength={200}
          required
          aria-describedby={`${idPrefix}-password-hint`}
        />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-confirm`}>Type the new password again</label>
        <input id={`${idPrefix}-confirm`} name="confirm" type="password" autoComplete="new-password" minLength={12} maxLength={200} required />
      </div>
    </>
  );
}

export function ErrorSummary({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="form-error-title" tabIndex={-1}>
      <h2 id="form-error-title">There is a problem</h2>
      <p>{error}</p>
    </div>
  );
}

/** The page a single-use link opens: the person's name, then the two password fields. */
export function ChoosePasswordForm({ token, email, submitLabel }: { token: string; email: string; submitLabel: string }) {
  const busy = useNavigation().state !== "idle";
  return (
    <Form method="post" className="stack">
      <input type="hidden" name="token" value={token} />
      {/* Lets password managers store the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <PasswordFields idPrefix="new" />
      <button type="submit" className="button" disabled={busy}>{busy ? "Saving…" : submitLabel}</button>
    </Form>
  );
}
