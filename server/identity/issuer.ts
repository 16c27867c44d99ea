/**
 * Which issuers an organisation may configure, and what their tokens must then carry. Pure, so the
 * admin form and the sign-in share one rule and a unit test can read it.
 *
 * Entra's multi-tenant endpoints (/common, /organizations, /consumers) publish metadata whose issuer
 * is a template, and hand out tokens from whichever tenant a person belongs to: trusting one would
 * let anyone with any Microsoft account through. Only a tenant's own issuer is accepted, and its
 * tenant id becomes the value the tid claim must have.
 */

const ENTRA_HOSTS = new Set(["login.microsoftonline.com", "login.microsoftonline.us", "login.partner.microsoftonline.cn"]);
const MULTI_TENANT = new Set(["common", "organizations", "consumers"]);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export type IssuerCheck =
  | { ok: true; issuer: string; entra: boolean; tenantId: string }
  | { ok: false; message: string };

export function checkIssuer(raw: string, opts: { allowHttpLoopback: boolean; tenantId?: string }): IssuerCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: "The issuer is not a web address. For Entra ID write https://login.microsoftonline.com/<tenant id>/v2.0." };
  }
  if (url.search || url.hash || url.username || url.password) {
    return { ok: false, message: "Write the issuer without a query, fragment or password, like https://login.microsoftonline.com/<tenant id>/v2.0." };
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || url.hostname === "::1";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback && opts.allowHttpLoopback)) {
    return { ok: false, message: "The issuer must start with https://. Sign-in tokens are never fetched over plain http." };
  }
  // Tokens carry the issuer exactly as the provider writes it; a trailing slash typed by hand is not part of it.
  const issuer = url.href.replace(/\/$/, "");
  const typedTenant = (opts.tenantId ?? "").trim().toLowerCase();
  if (ENTRA_HOSTS.has(url.hostname)) {
    const parts = url.pathname.split("/").filter(Boolean);
    const tenant = (parts[0] ?? "").toLowerCase();
    if (MULTI_TENANT.has(tenant)) {
      return {
        ok: false,
        message: `The “${tenant}” endpoint accepts accounts from any Microsoft tenant, so it cannot be trusted for one organisation. Use your own tenant's issuer: https://login.microsoftonline.com/<your tenant id>/v2.0 (the tenant id is on the app registration's Overview page).`,
      };
    }
    if (parts.length !== 2 || parts[1] !== "v2.0" || !GUID.test(tenant)) {
      return {
        ok: false,
        message: "An Entra ID issuer looks like https://login.microsoftonline.com/<tenant id>/v2.0, where the tenant id is the Directory (tenant) ID from the app registration's Overview page.",
      };
    }
    if (typedTenant && typedTenant !== tenant) {
      return { ok: false, message: "The tenant id does not match the one in the issuer. Leave it empty, or copy the same Directory (tenant) ID into both." };
    }
    return { ok: true, issuer: `${url.origin}/${tenant}/v2.0`, entra: true, tenantId: tenant };
  }
  return { ok: true, issuer, entra: false, tenantId: typedTenant };
}

export type DomainsCheck = { ok: true; domains: string[] } | { ok: false; message: string };

export function checkEmailDomains(raw: string): DomainsCheck {
  const domains = [...new Set(raw.split(/[\s,;]+/).map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean))];
  if (domains.length === 0) return { ok: false, message: "Enter at least one email domain, like bury.gov.uk." };
  const bad = domains.find((d) => !DOMAIN.test(d));
  if (bad) return { ok: false, message: `“${bad}” is not an email domain. Write domains like bury.gov.uk, separated by commas.` };
  return { ok: true, domains };
}

export function emailDomainOf(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}
