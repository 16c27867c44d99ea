import { createHash, randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import * as client from "openid-client";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import { findOrganisationById } from "../../db/queries/accounts";
import { insertAuditRow } from "../../db/queries/audit";
import {
  deleteExpiredSignInAttempts,
  findIdentityProvider,
  findLinkedUser,
  findUserByEmail,
  findUserByEmailInOrganisation,
  insertIdentityLink,
  insertSignInAttempt,
  takeSignInAttempt,
} from "../../db/queries/identity-providers";
import { retireAccountTokens } from "../../db/queries/account-tokens";
import type { IdentityProviderTable } from "../../db/schema";
import type { Logger } from "../log";
import { checkIssuer, emailDomainOf } from "./issuer";

/**
 * Sign-in with an organisation's own OpenID Connect provider (Entra ID): authorization code flow
 * with PKCE, state and nonce, through openid-client. Everything the callback needs to check is
 * kept here on the server (oidc_sign_in_attempts), found by the state's hash and deleted as it is
 * read; a short-lived cookie ties the attempt to the browser that started it, so a callback URL
 * sent to someone else signs nobody in.
 *
 * openid-client checks the id_token's issuer (exactly the configured one), audience (our client
 * id), nonce and, with non-repudiation checks enabled, its signature against the issuer's
 * published keys. The tenant (tid) and the email domain are this module's own checks.
 */

const ATTEMPT_MINUTES = 10;
const DISCOVERY_TTL_MS = 10 * 60_000;

export class SignInRefusal extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 502,
    message: string,
  ) {
    super(message);
    this.name = "SignInRefusal";
  }
}

/**
 * The OidcSignIn in the load context comes from the server bundle, routes from Remix's: two copies
 * of this class, so `instanceof` across them is false. Recognise a refusal by its shape instead.
 */
export function asSignInRefusal(err: unknown): SignInRefusal | null {
  if (err instanceof SignInRefusal) return err;
  const e = err as { name?: unknown; status?: unknown; message?: unknown } | null;
  return e && e.name === "SignInRefusal" && typeof e.status === "number" && typeof e.message === "string" ? (e as SignInRefusal) : null;
}

function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export interface OidcSignInOptions {
  allowHttpLoopback: boolean;
  log: Logger;
}

export class OidcSignIn {
  private discovered = new Map<string, { at: number; config: client.Configuration }>();

  constructor(
    private readonly db: DB,
    private readonly opts: OidcSignInOptions,
  ) {}

  /** Returns where to send the browser, and the value for its short-lived binding cookie. */
  async start(organisationId: string, opts: { redirectUri: string; returnTo: string }): Promise<{ url: string; browserToken: string }> {
    const idp = await findIdentityProvider(this.db, organisationId);
    if (!idp) {
      throw new SignInRefusal(404, "Signing in with a Microsoft account is not set up for that organisation. Sign in with your password, or ask your administrator.");
    }
    const config = await this.configuration(idp);
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const browserToken = randomBytes(32).toString("base64url");
    const now = new Date();
    await deleteExpiredSignInAttempts(this.db, now.toISOString());
    await insertSignInAttempt(this.db, {
      state_hash: sha256(state),
      browser_hash: sha256(browserToken),
      organisation_id: organisationId,
      nonce,
      code_verifier: codeVerifier,
      redirect_uri: opts.redirectUri,
      return_to: opts.returnTo,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ATTEMPT_MINUTES * 60_000).toISOString(),
    });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: opts.redirectUri,
      scope: "openid email profile",
      response_type: "code",
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    return { url: url.href, browserToken };
  }

  /** Checks the provider's answer and returns the account to sign in, or throws a SignInRefusal. */
  async finish(requestUrl: URL, browserToken: string | null): Promise<{ userId: number; returnTo: string }> {
    const state = requestUrl.searchParams.get("state");
    if (!state || state.length > 200) {
      throw new SignInRefusal(400, "This sign-in link is incomplete (it has no state). Start again from the sign-in page.");
    }
    const attempt = await takeSignInAttempt(this.db, sha256(state));
    if (!attempt || attempt.expires_at <= nowIso()) {
      throw new SignInRefusal(
        400,
        `This sign-in has already been used or has expired (a sign-in must be finished within ${ATTEMPT_MINUTES} minutes). Start again from the sign-in page.`,
      );
    }
    if (!browserToken || sha256(browserToken) !== attempt.browser_hash) {
      throw new SignInRefusal(
        400,
        "This sign-in was started in another browser, or this browser did not keep its cookie. Start again from the sign-in page in the browser you want to use.",
      );
    }
    const idp = await findIdentityProvider(this.db, attempt.organisation_id);
    if (!idp) {
      throw new SignInRefusal(400, "Signing in with a Microsoft account is no longer set up for your organisation. Sign in with your password, or ask your administrator.");
    }
    const orgName = await this.organisationName(idp.organisation_id);
    const providerError = requestUrl.searchParams.get("error");
    if (providerError) {
      const description = (requestUrl.searchParams.get("error_description") ?? providerError).slice(0, 300);
      throw new SignInRefusal(401, `${orgName}'s Microsoft sign-in did not sign you in: ${description}. Start again from the sign-in page, or ask your IT team.`);
    }

    const config = await this.configuration(idp);
    // The URL the provider was given, with the answer's query: what openid-client compares.
    const callbackUrl = new URL(attempt.redirect_uri);
    callbackUrl.search = requestUrl.search;
    let claims: client.IDToken;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: attempt.code_verifier,
        expectedState: state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims()!;
    } catch (err) {
      throw this.refusalFor(err, orgName);
    }

    const tenantId = idp.tenant_id;
    if (tenantId && String(claims.tid ?? "").toLowerCase() !== tenantId) {
      this.opts.log.warn({ organisationId: idp.organisation_id, tid: claims.tid }, "oidc sign-in refused: other tenant");
      throw new SignInRefusal(
        403,
        `You signed in with an account from another Microsoft organisation, not ${orgName}'s. Start again and choose your ${orgName} work account on Microsoft's page.`,
      );
    }

    const domains = JSON.parse(idp.email_domains) as string[];
    const linked = await findLinkedUser(this.db, idp.issuer, claims.sub);
    if (linked) {
      if (linked.organisation_id !== idp.organisation_id) {
        throw new SignInRefusal(403, `Your workspace account is no longer with ${orgName}, so it cannot sign in through ${orgName}'s Microsoft account. Sign in with your password, or ask your administrator.`);
      }
      return { userId: linked.id, returnTo: attempt.return_to };
    }

    const email = this.emailFrom(claims, idp, domains);
    if (!email) {
      const shown = [claims.email, claims.preferred_username].find((v) => typeof v === "string") as string | undefined;
      throw new SignInRefusal(
        403,
        shown
          ? `The account you signed in with (${shown}) is not an address of ${orgName} (${domains.join(", ")}). Start again and choose your ${orgName} work account, or ask your administrator.`
          : `Your Microsoft account did not give a verified email address of ${orgName} (${domains.join(", ")}). Ask your IT team to include the email claim, then start again.`,
      );
    }
    const account = await findUserByEmailInOrganisation(this.db, email, idp.organisation_id);
    if (!account) {
      const elsewhere = await findUserByEmail(this.db, email);
      throw new SignInRefusal(
        403,
        elsewhere
          ? `The workspace account for ${email} belongs to another organisation, so it cannot sign in through ${orgName}'s Microsoft account. Sign in with your password, or ask your administrator.`
          : `There is no workspace account for ${email} at ${orgName} yet. Ask your partnership administrator to add or invite you, then sign in again.`,
      );
    }
    if (account.deactivated_at) {
      throw new SignInRefusal(403, `The workspace account for ${email} has been deactivated, so it cannot sign in. Ask your partnership administrator if you need it again.`);
    }
    // The link and its audit row together: the first sign-in is a fact of record.
    await inTransaction(this.db, async (trx) => {
      const createdAt = nowIso();
      await insertIdentityLink(trx, { issuer: idp.issuer, subject: claims.sub, user_id: account.id, organisation_id: idp.organisation_id, created_at: createdAt });
      if (account.password_hash === "") {
        // An invited person who signs in through their organisation has accepted the invitation:
        // the emailed link is used up, so nobody who later finds that email can set a password.
        await retireAccountTokens(trx, account.id, ["invitation"], createdAt);
        await insertAuditRow(trx, {
          actor_user_id: account.id,
          actor_organisation_id: idp.organisation_id,
          event: "user.invitation_accepted",
          subject: String(account.id),
          detail: JSON.stringify({ through: "oidc", issuer: idp.issuer }),
          created_at: createdAt,
        });
      }
      await insertAuditRow(trx, {
        actor_user_id: account.id,
        actor_organisation_id: idp.organisation_id,
        event: "identity.linked",
        subject: String(account.id),
        detail: JSON.stringify({ issuer: idp.issuer, subject: claims.sub, email }),
        created_at: createdAt,
      });
    });
    return { userId: account.id, returnTo: attempt.return_to };
  }

  /**
   * A verified email within the organisation's domains. Entra ID does not send email_verified;
   * there the tenant check above stands for it, and preferred_username (the sign-in name, under a
   * domain the tenant has verified) or email count only when under one of the configured domains.
   */
  private emailFrom(claims: client.IDToken, idp: IdentityProviderTable, domains: string[]): string | null {
    const issuer = checkIssuer(idp.issuer, { allowHttpLoopback: true });
    const entra = issuer.ok && issuer.entra;
    const candidates: string[] = [];
    if (typeof claims.email === "string" && claims.email_verified === true) candidates.push(claims.email);
    if (entra) {
      for (const c of [claims.preferred_username, claims.email]) if (typeof c === "string") candidates.push(c);
    }
    const within = candidates.map((c) => c.trim().toLowerCase()).find((c) => c.includes("@") && domains.includes(emailDomainOf(c)));
    return within ?? null;
  }

  private refusalFor(err: unknown, orgName: string): SignInRefusal {
    type Coded = { code?: string; message?: string; cause?: unknown; claim?: string; error?: string; error_description?: string };
    const e = err as Coded;
    // openid-client wraps oauth4webapi's error (which names the failed claim) as its cause.
    const inner = (e.cause ?? {}) as Coded;
    const claim = (inner.cause as Coded | undefined)?.claim ?? (e.cause as Coded | undefined)?.claim;
    const detail = `${e.message ?? ""} ${inner.message ?? ""}`;
    this.opts.log.warn({ code: e.code, claim, err: detail.trim() }, "oidc sign-in refused");
    const again = "Start again from the sign-in page; if it happens again, tell your IT team.";
    if (e.code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED") {
      switch (claim) {
        case "iss":
          return new SignInRefusal(401, `The sign-in came from a different identity service than the one ${orgName} set up, so it was refused. ${again}`);
        case "aud":
        case "azp":
          return new SignInRefusal(401, `The sign-in was made out to another application, not this workspace, so it was refused. ${again}`);
        case "nonce":
          return new SignInRefusal(401, `The sign-in does not belong to the one started in this browser, so it was refused. ${again}`);
      }
    }
    if (e.code === "OAUTH_KEY_SELECTION_FAILED" || (e.code === "OAUTH_INVALID_RESPONSE" && /signature/i.test(detail))) {
      return new SignInRefusal(401, `The sign-in's signature does not match ${orgName}'s published keys, so it was refused. ${again}`);
    }
    if (e.code === "OAUTH_JWT_TIMESTAMP_CHECK_FAILED") {
      return new SignInRefusal(401, `The sign-in had expired or was dated in the future, so it was refused. Check this computer's clock, then start again.`);
    }
    if (err instanceof client.ResponseBodyError) {
      return new SignInRefusal(401, `${orgName}'s Microsoft sign-in refused to complete it (${e.error}${e.error_description ? `: ${e.error_description}` : ""}). ${again}`);
    }
    if (err instanceof TypeError) {
      return new SignInRefusal(502, `${orgName}'s Microsoft sign-in could not be reached just now. Try again in a few minutes.`);
    }
    return new SignInRefusal(401, `The answer from ${orgName}'s Microsoft sign-in could not be checked, so it was refused. ${again}`);
  }

  private async organisationName(id: string): Promise<string> {
    const row = await findOrganisationById(this.db, id);
    return row?.name ?? "your organisation";
  }

  /** Discovery once per provider configuration, kept a few minutes so key rotation is picked up. */
  private async configuration(idp: IdentityProviderTable): Promise<client.Configuration> {
    const key = `${idp.organisation_id}|${idp.updated_at}`;
    const cached = this.discovered.get(key);
    if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.config;
    const check = checkIssuer(idp.issuer, { allowHttpLoopback: this.opts.allowHttpLoopback });
    if (!check.ok) throw new SignInRefusal(400, `${check.message} Ask your administrator to correct the sign-in settings.`);
    let config: client.Configuration;
    try {
      config = await client.discovery(
        new URL(idp.issuer),
        idp.client_id,
        { client_secret: idp.client_secret, id_token_signed_response_alg: "RS256" },
        client.ClientSecretPost(idp.client_secret),
        this.opts.allowHttpLoopback && new URL(idp.issuer).protocol === "http:" ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
      );
    } catch (err) {
      this.opts.log.warn({ organisationId: idp.organisation_id, err: (err as Error).message }, "oidc discovery failed");
      throw new SignInRefusal(502, "Your organisation's Microsoft sign-in could not be reached or did not describe itself correctly. Try again in a few minutes; if it keeps happening, tell your IT team.");
    }
    client.enableNonRepudiationChecks(config);
    for (const k of this.discovered.keys()) if (k.startsWith(`${idp.organisation_id}|`)) this.discovered.delete(k);
    this.discovered.set(key, { at: Date.now(), config });
    return config;
  }
}

/** Holds the value that ties a sign-in attempt to this browser; only the OIDC routes see it. */
export function oidcBrowserCookie(secure: boolean) {
  return createCookie("cdw_oidc", {
    httpOnly: true,
    // Lax: sent on the provider's top-level redirect back to the callback, not on cross-site sub-requests.
    sameSite: "lax",
    secure,
    path: "/auth/oidc",
    maxAge: ATTEMPT_MINUTES * 60,
  });
}
