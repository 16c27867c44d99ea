import { sqlRows } from "./test-db";

/** Follows an emailed link on the test server: the path and query of the link, on `baseUrl`. */
export function onServer(baseUrl: string, link: string): string {
  const u = new URL(link);
  return `${baseUrl}${u.pathname}${u.search}`;
}

export function linkIn(text: string, path: string): string {
  const m = new RegExp(`https://codesign\\.bury\\.example${path.replace("/", "\\/")}\\?token=[A-Za-z0-9_-]+`).exec(text);
  if (!m) throw new Error(`no ${path} link in:\n${text}`);
  return m[0];
}

/** Posts a form as a browser would and keeps the response's headers (a sign-in sets a cookie). */
export async function post(url: string, fields: Record<string, string>, cookie = "") {
  const res = await fetch(url, {
    method: "POST",
    headers: { Origin: new URL(url).origin, ...(cookie ? { Cookie: cookie } : {}), "X-Forwarded-For": `198.51.100.${Math.floor(Math.random() * 250) + 1}` },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
  const setCookie = res.headers.get("set-cookie");
  return { status: res.status, location: res.headers.get("location"), cookie: setCookie ? setCookie.split(";")[0]! : null, text: (await res.text()).replace(/<!-- -->/g, "") };
}

export async function get(url: string, cookie = "") {
  const res = await fetch(url, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
  return { status: res.status, location: res.headers.get("location"), text: (await res.text()).replace(/<!-- -->/g, "") };
}

/** Runs SQL on the server's database file from the test (another connection, as an operator would). */
/** Raw SQL on a test server's database, either dialect (test/helpers/test-db.ts). */
export const sql = sqlRows;

export const MAIL_ENV = (smtpUrl: string) => ({
  SMTP_URL: smtpUrl,
  MAIL_FROM: "Co-design Workspace <codesign@bury.example>",
  APP_ORIGIN: "https://codesign.bury.example",
  MAIL_POLL_MS: "100",
  MAIL_RETRY_BASE_MS: "200",
  MAIL_RETRY_MAX_MS: "1000",
});
