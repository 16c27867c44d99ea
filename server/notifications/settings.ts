/**
 * What notification emails need from the process, set once at start-up by server/app.ts: the
 * origin their links use (APP_ORIGIN, validated with the rest of the configuration) and the
 * sender's nudge. Decision: module state rather than a parameter through every domain function
 * that notifies (ownership, comments, suggestions, workshops, the plan cycle): the origin is one
 * fact of the deployment, never of a request (a link built from a Host header could point anywhere).
 */
export interface NotificationMailSettings {
  /** Where people open the workspace; links in emails start with it. */
  appOrigin: string;
  /** Tells the sender something was queued (after the commit it polls anyway). */
  nudge: () => void;
}

// Kept on globalThis under a registered symbol, not in a module variable: the Remix build bundles
// its own copy of this module beside the server's, and both must read what server/app.ts set.
const KEY = Symbol.for("codesign.notification-mail-settings");
const DEFAULTS: NotificationMailSettings = { appOrigin: "http://localhost:3000", nudge: () => {} };

export function configureNotificationMail(next: NotificationMailSettings): void {
  (globalThis as Record<symbol, unknown>)[KEY] = next;
}

export function notificationMailSettings(): NotificationMailSettings {
  return ((globalThis as Record<symbol, unknown>)[KEY] as NotificationMailSettings | undefined) ?? DEFAULTS;
}
