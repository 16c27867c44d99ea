type Result = { ok: true; message: string } | { ok: false; error: string } | undefined | null;

/** Outcome of a form: a polite live region for success, an alert for a refusal. */
export function StatusMessage({ result }: { result: Result }) {
  if (!result) return null;
  return result.ok ? (
    <div className="notice notice--success" role="status">
      {result.message}
    </div>
  ) : (
    <div className="notice notice--error" role="alert">
      {result.error}
    </div>
  );
}
