import { data } from "@remix-run/node";
import { ZodError } from "zod";
import { DomainError } from "../../server/domain/errors";

export type ActionResult = { ok: true; message: string; for?: string } | { ok: false; error: string; for?: string };

// What a form may call itself for its feedback (app/components/FormFeedback.tsx): anything else is
// ignored, and the answer then shows at the top of the page as before.
const FEEDBACK_NAME = /^[A-Za-z0-9_.:-]{1,200}$/;

/**
 * Turns refusals into a message for the page and the right status; anything else is a real fault.
 * Given the submitted form, the answer names the form it is for (its `feedbackFor` field), so the
 * page shows it beside that form.
 */
export async function runAction(fn: () => Promise<string>, form?: Record<string, FormDataEntryValue>) {
  const named = form?.feedbackFor;
  const forForm = typeof named === "string" && FEEDBACK_NAME.test(named) ? { for: named } : {};
  try {
    return data<ActionResult>({ ok: true, message: await fn(), ...forForm });
  } catch (err) {
    if (err instanceof DomainError) return data<ActionResult>({ ok: false, error: err.message, ...forForm }, { status: err.status });
    if (err instanceof ZodError) {
      return data<ActionResult>({ ok: false, error: err.issues.map((i) => i.message).join(" "), ...forForm }, { status: 400 });
    }
    throw err;
  }
}
