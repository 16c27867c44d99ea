import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";

type Result = { ok: true; message: string } | { ok: false; error: string };

/**
 * One workshop action as a small form posted in the background: the page stays where it is and
 * the new state arrives over the event stream. Refusals show beside the form, as an alert.
 * Without JavaScript it is an ordinary form post.
 */
export function IntentForm({
  intent,
  fields,
  children,
  className,
  showSuccess = false,
  resetOnSuccess = false,
  label,
}: {
  intent: string;
  fields?: Record<string, string | number>;
  children: ReactNode | ((busy: boolean) => ReactNode);
  className?: string;
  showSuccess?: boolean;
  resetOnSuccess?: boolean;
  label?: string;
}) {
  const fetcher = useFetcher<Result>();
  const ref = useRef<HTMLFormElement>(null);
  const busy = fetcher.state !== "idle";
  const data = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (resetOnSuccess && data?.ok) ref.current?.reset();
  }, [data, resetOnSuccess]);
  return (
    <fetcher.Form method="post" className={className} ref={ref} aria-label={label}>
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={String(v)} />
      ))}
      {typeof children === "function" ? children(busy) : children}
      {data && !data.ok ? (
        <p className="form-error" role="alert">
          {data.error}
        </p>
      ) : null}
      {data && data.ok && showSuccess ? (
        <p className="form-ok" role="status">
          {data.message}
        </p>
      ) : null}
    </fetcher.Form>
  );
}
