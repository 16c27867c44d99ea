import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { findUsableToken } from "../../db/queries/account-tokens";
import type { AccountTokenPurpose } from "../../db/schema";
import { hashToken } from "../../server/auth/sessions";
import { DomainError } from "../../server/domain/errors";
import { setPasswordWithLink } from "../../server/domain/people";
import { signIn } from "./auth.server";

/**
 * The loader and action behind /welcome (invitations) and /reset-password: a link that is used,
 * expired or unknown answers 410 with what to do next; a good one shows who it is for.
 */
export function passwordLinkRoute(purpose: AccountTokenPurpose) {
  async function loader({ request, context }: LoaderFunctionArgs) {
    const token = new URL(request.url).searchParams.get("token") ?? "";
    const person = token.length >= 20 && token.length <= 100
      ? await findUsableToken(context.app.db, hashToken(token), purpose, new Date().toISOString())
      : null;
    if (!person) return data({ usable: false as const, token: "", name: "", email: "", organisationName: "" }, { status: 410 });
    return { usable: true as const, token, name: person.name, email: person.email, organisationName: person.organisationName };
  }

  async function action({ request, context }: ActionFunctionArgs) {
    const form = await request.formData();
    const token = String(form.get("token") ?? "");
    try {
      const { userId } = await setPasswordWithLink(context.app.db, context.app, purpose, token, {
        password: String(form.get("password") ?? ""),
        confirm: String(form.get("confirm") ?? ""),
      });
      return await signIn(request, context, userId, purpose === "invitation" ? "/dashboard?welcome=1" : "/dashboard");
    } catch (err) {
      if (err instanceof DomainError) return data({ error: err.message }, { status: err.status });
      throw err;
    }
  }
  return { loader, action };
}
