import type { HeadersFunction } from "@remix-run/node";

/**
 * A document answer to a throttled action keeps the action's Retry-After: Remix builds a page's
 * headers from the route's `headers` export only, so the routes that answer 429 export this.
 */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};
