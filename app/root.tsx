import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import styles from "./styles.css?url";
import { inboxFor } from "../server/notifications/inbox";
import { actorOf, getUser } from "./utils/auth.server";
import { useNonce } from "./utils/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  return {
    demo: context.app.demo,
    user: user && {
      name: user.name,
      organisationName: user.organisationName,
      systemRole: user.systemRole,
      // The same items as "Waiting for you" on the dashboard and on Notifications.
      unreadNotifications: (await inboxFor(context.app.db, { ...actorOf(user), organisationName: user.organisationName })).waiting.length,
    },
  };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  const nonce = useNonce();
  // A route with `handle = { bare: true }` (the projector's room screen) fills the window alone.
  const bare = useMatches().some((m) => (m.handle as { bare?: boolean } | undefined)?.bare === true);
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {bare ? null : (
          <a className="skip-link" href="#main">
            Skip to main content
          </a>
        )}
        {bare ? null : <header className="site-header">
          {data?.demo ? (
            <p className="demo-banner" data-testid="demo-banner">
              <strong>Demo data.</strong> This workspace holds the Team Bury demonstration data, and its passwords are
              published. Do not enter real information here.
            </p>
          ) : null}
          <div className="site-header__inner">
            <Link to={user ? "/dashboard" : "/"} className="site-header__brand">
              Co-design Workspace <span className="site-header__partnership">Team Bury</span>
            </Link>
            {user ? (
              <div className="site-header__account">
                <span className="site-header__who">
                  {user.name} <span className="muted">({user.organisationName})</span>
                </span>
                <Link to="/account">Your account</Link>
                <Form method="post" action="/logout">
                  <button type="submit" className="button button--link">
                    Sign out
                  </button>
                </Form>
              </div>
            ) : null}
            {user ? (
              <nav aria-label="Main" className="site-header__nav">
                <Link to="/dashboard">Dashboard</Link>
                <Link to="/plans">All plans</Link>
                <Link to="/proposals">Engagement</Link>
                <Link to="/workshops">Workshops</Link>
                <Link to="/my-organisation">My organisation</Link>
                <Link to="/recommendations">Recommendations</Link>
                <Link to="/search">Search</Link>
                <Link to="/notifications" data-testid="notifications-link">
                  Notifications
                  {user.unreadNotifications > 0 ? (
                    <>
                      {" "}
                      <span className="count-badge">{user.unreadNotifications}</span>
                      <span className="visually-hidden"> waiting for you</span>
                    </>
                  ) : null}
                </Link>
                {user.systemRole !== "member" ? <Link to="/admin">Administration</Link> : null}
              </nav>
            ) : null}
          </div>
        </header>}
        <main id="main" className={bare ? "page page--bare" : "page"} tabIndex={-1}>
          {children}
        </main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const signedIn = Boolean(useRouteLoaderData<typeof loader>("root")?.user);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title =
    status === 404 ? "Page not found" : status === 403 ? "You do not have access to this" : isRouteErrorResponse(error) ? `Something went wrong (${status})` : "Something went wrong";
  // Remix's own text for an unmatched address ("Error: No route matches URL …") is for developers.
  const detail = isRouteErrorResponse(error)
    ? typeof error.data === "string" && !/no route matches/i.test(error.data)
      ? error.data
      : status === 404
        ? "There is no page at this address. The link may be old or mistyped."
        : ""
    : "The error has been logged. Try again, and if it keeps happening tell your administrator.";
  return (
    <div className="narrow stack" data-testid="error-page" data-status={status}>
      <h1>{title}</h1>
      {detail ? <p>{detail}</p> : null}
      {signedIn ? (
        <nav aria-label="Ways back">
          <ul>
            <li>
              <Link to="/dashboard">Go to your dashboard</Link>
            </li>
            <li>
              <Link to="/plans">See all plans</Link>
            </li>
            <li>
              <Link to="/search">Search the workspace</Link>
            </li>
          </ul>
        </nav>
      ) : (
        <p>
          <Link to="/">Go to the home page</Link> or <Link to="/login">sign in</Link>.
        </p>
      )}
    </div>
  );
}
