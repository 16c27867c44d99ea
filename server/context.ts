import type { DB } from "../db/connection";
import type { LoginThrottle } from "./auth/login-throttle";
import type { sessionCookie } from "./auth/sessions";
import type { Config } from "./config";
import type { PlanEvents } from "./events";
import type { Logger } from "./log";
import type { SyncServer } from "./sync";

/** What the server owns and hands to every loader and action through getLoadContext. */
export interface AppContext {
  db: DB;
  config: Config;
  log: Logger;
  events: PlanEvents;
  sync: SyncServer;
  throttle: LoginThrottle;
  cookie: ReturnType<typeof sessionCookie>;
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    app: AppContext;
    clientAddress: string;
  }
}
