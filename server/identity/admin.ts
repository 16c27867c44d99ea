import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import { findOrganisationById } from "../../db/queries/accounts";
import { deleteIdentityProvider, findIdentityProvider, saveIdentityProvider } from "../../db/queries/identity-providers";
import { audit } from "../domain/admin";
import { DomainError } from "../domain/errors";
import { canAdminister, type Actor } from "../policy";
import { checkEmailDomains, checkIssuer } from "./issuer";

export const IdentityProviderInput = z.object({
  organisationId: z.string().min(1, "Choose the organisation."),
  issuer: z.string().trim().min(1, "Enter the issuer, like https://login.microsoftonline.com/<tenant id>/v2.0.").max(300),
  tenantId: z.string().trim().max(100).default(""),
  clientId: z.string().trim().min(1, "Enter the Application (client) ID from the app registration.").max(200),
  // Empty on a change: keep the stored secret, which the page never shows.
  clientSecret: z.string().max(500).default(""),
  emailDomains: z.string().max(2000),
});

/** An admin sets (or changes) how an organisation's members sign in with their own provider. */
export async function configureIdentityProvider(
  db: DB,
  actor: Actor,
  input: z.infer<typeof IdentityProviderInput>,
  opts: { allowHttpLoopback: boolean },
): Promise<string> {
  if (!canAdminister(actor)) throw new DomainError(403, "Only an administrator can set up sign-in for an organisation.");
  const org = await findOrganisationById(db, input.organisationId);
  if (!org) throw new DomainError(400, "Choose the organisation from the list.");
  const issuer = checkIssuer(input.issuer, { allowHttpLoopback: opts.allowHttpLoopback, tenantId: input.tenantId });
  if (!issuer.ok) throw new DomainError(400, issuer.message);
  if (issuer.entra === false && input.tenantId && !/^[0-9a-z-]{1,100}$/i.test(input.tenantId)) {
    throw new DomainError(400, "The tenant id is the Directory (tenant) ID, a value like 72f988bf-86f1-41af-91ab-2d7cd011db47.");
  }
  const domains = checkEmailDomains(input.emailDomains);
  if (!domains.ok) throw new DomainError(400, domains.message);
  return inTransaction(db, async (trx) => {
    const existing = await findIdentityProvider(trx, org.id);
    const secret = input.clientSecret || existing?.client_secret || "";
    if (!secret) throw new DomainError(400, "Enter the client secret's value (shown once, when the secret is created in Entra ID).");
    const now = nowIso();
    await saveIdentityProvider(trx, {
      organisation_id: org.id,
      issuer: issuer.issuer,
      tenant_id: issuer.tenantId,
      client_id: input.clientId,
      client_secret: secret,
      email_domains: JSON.stringify(domains.domains),
      updated_by: actor.userId,
      updated_at: now,
      created_at: existing?.created_at ?? now,
    });
    // Never the secret in the audit trail: only that it changed.
    await audit(trx, actor, existing ? "identity-provider.changed" : "identity-provider.created", org.id, {
      issuer: issuer.issuer,
      tenantId: issuer.tenantId,
      clientId: input.clientId,
      emailDomains: domains.domains,
      secretChanged: Boolean(input.clientSecret),
    });
    return `${org.name}'s members can now sign in with their Microsoft account.`;
  });
}

export async function removeIdentityProvider(db: DB, actor: Actor, organisationId: string): Promise<string> {
  if (!canAdminister(actor)) throw new DomainError(403, "Only an administrator can change sign-in for an organisation.");
  return inTransaction(db, async (trx) => {
    const removed = await deleteIdentityProvider(trx, organisationId);
    if (!removed) throw new DomainError(404, "That organisation has no Microsoft sign-in set up.");
    await audit(trx, actor, "identity-provider.removed", organisationId, {});
    return "Microsoft sign-in removed; that organisation's members sign in with their passwords.";
  });
}
