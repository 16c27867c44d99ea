import { data } from "@remix-run/node";
import { ZodError } from "zod";
import { DomainError } from "../../server/domain/errors";

export type ActionResult = { ok: true; message: string } | { ok: false; error: string };

/** Turns refusals into a message for the page and the right status; anything else is a real fault. */
export async function runAction(fn: () => Promise<string>) {
  try {
    return data<ActionResult>({ ok: true, message: await fn() });
  } catch (err) {
    if (err instanceof DomainError) return data<ActionResult>({ ok: false, error: err.message }, { status: err.status });
    if (err instanceof ZodError) {
      return data<ActionResult>({ ok: false, error: err.issues.map((i) => i.message).join(" ") }, { status: 400 });
    }
    throw err;
  }
}
