import type { DB } from "../db/connection";
import type { LoginThrottle } from "./auth/login-throttle";
import type { sessionCookie } from "./auth/sessions";
import type { Config } from "./config";
import type { PlanEvents } from "./events";
import type { DocumentScan } from "./documents/document-scan";
import type { Logger } from "./log";
import type { SyncServer } from "./sync";
import type { guestCookie } from "./auth/guest-sessions";
import type { OidcSignIn, oidcBrowserCookie } from "./identity/oidc-sign-in";
import type { GuestJoinThrottle } from "./workshops/join-throttle";
import type { WorkerPool } from "./workers/pool";
import type { MailSender } from "./mail/sender";
import type { WorkshopHub } from "./workshops/live-hub";

/** What the server owns and hands to every loader and action through getLoadContext. */
export interface AppContext {
  db: DB;
  config: Config;
  log: Logger;
  events: PlanEvents;
  sync: SyncServer;
  throttle: LoginThrottle;
  /** "Forgot your password?" requests: the same limits as sign-in, counted apart from them. */
  resetThrottle: LoginThrottle;
  /** Delivers the mail outbox (or, without SMTP_URL, leaves it for admins to read). */
  mail: MailSender;
  cookie: ReturnType<typeof sessionCookie>;
  /** Workshops: live state pushed to open pages, guests' cookie, wrong-code throttle. */
  workshops: WorkshopHub;
  guestCookie: ReturnType<typeof guestCookie>;
  guestJoinThrottle: GuestJoinThrottle;
  /** Stored documents the editor cannot read, found at start-up (shown on /admin). */
  documentScan: DocumentScan;
  /** Worker threads for builds and parses too heavy for the event loop. */
  workers: WorkerPool;
  /** Organisations' own sign-in (Entra ID) and the cookie tying an attempt to its browser. */
  oidc: OidcSignIn;
  oidcCookie: ReturnType<typeof oidcBrowserCookie>;
  /** The database holds the Team Bury demo accounts: every page says it is demo data. */
  demo: boolean;
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    app: AppContext;
    clientAddress: string;
    /** This response's Content-Security-Policy nonce (server/http/security-headers.ts). */
    cspNonce: string;
  }
}
