import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Page not found – Co-design Workspace" }];

/**
 * Any address no other route matches. Without this route Remix answers from the root alone,
 * without its loader: the page then shows "Error: No route matches URL" and no way back
 * for a signed-in person. Thrown here, the 404 renders in the root error boundary with the
 * signed-in header and links (issue 14).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const path = new URL(request.url).pathname;
  throw new Response(`There is no page at ${path}. The link may be old or mistyped.`, { status: 404 });
}

export default function NotFound() {
  return null;
}
