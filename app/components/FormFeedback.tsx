import { useEffect, type RefObject } from "react";

/**
 * Feedback where the hand is (issue 14): a form names itself in a hidden field, the action's answer
 * carries that name back (runAction), and the answer is shown beside that form instead of at the
 * top of a long page. Works the same without JavaScript: the page comes back with the answer.
 */
export const FEEDBACK_FIELD = "feedbackFor";

type Result = { ok: true; message: string; for?: string } | { ok: false; error: string; for?: string } | undefined | null;

/** The hidden field that names a form for its feedback. */
export function FeedbackKey({ value }: { value: string }) {
  return <input type="hidden" name={FEEDBACK_FIELD} value={value} />;
}

/**
 * The answer to the form named `name`, if the last answer was for it. The polite region is always
 * on the page, so that screen readers announce a confirmation put into it; a refusal is an alert.
 */
export function FormFeedback({ result, name }: { result: Result; name: string }) {
  const mine = result && result.for === name ? result : null;
  return (
    <>
      <p className="form-feedback form-feedback--success" role="status" data-feedback-for={name}>
        {mine?.ok ? mine.message : null}
      </p>
      {mine && !mine.ok ? (
        <p className="form-feedback form-feedback--error" role="alert" data-feedback-for={name}>
          {mine.error}
        </p>
      ) : null}
    </>
  );
}

/** Clears a form once the server accepted what it sent, so the next entry starts empty. */
export function useResetOnSuccess(form: RefObject<HTMLFormElement | null>, result: Result, name: string) {
  useEffect(() => {
    if (result && result.ok && result.for === name) form.current?.reset();
  }, [result, name, form]);
}

/** True when an answer belongs at the top of the page: no form named itself for it. */
export function isPageFeedback(result: Result): boolean {
  return Boolean(result) && !result!.for;
}
