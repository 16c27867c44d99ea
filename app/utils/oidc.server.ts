import type { AppLoadContext } from "@remix-run/node";

/**
 * The redirect URI registered with the provider: the first public origin on a real deployment
 * (behind a proxy the request's own host may be an internal name), else the origin asked for.
 */
export function oidcRedirectUri(request: Request, context: AppLoadContext): string {
  const origin = context.app.config.publicOrigins[0] ?? new URL(request.url).origin;
  return `${origin}/auth/oidc/callback`;
}
