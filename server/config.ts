import path from "node:path";
import proxyAddr from "proxy-addr";
import { z } from "zod";
import { isPostgresUrl, type DatabaseTarget } from "../db/dialect";
import { normalOrigin } from "./origin";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_FILE: z.string().min(1).default("data/codesign.sqlite"),
  // Set: PostgreSQL (postgres://user:password@host:5432/database); unset: the SQLite DATABASE_FILE.
  DATABASE_URL: z
    .string()
    .default("")
    .refine((v) => v === "" || (isPostgresUrl(v) && URL.canParse(v)), {
      message: "write it like postgres://codesign:password@db.example.org:5432/codesign, or leave it unset to use the SQLite DATABASE_FILE",
    }),
  // Comma-separated origins allowed to open sync sockets, e.g. "https://codesign.bury.gov.uk".
  // When empty, an Origin must match the Host the request was made to.
  // When set, these are also the only origins a state-changing HTTP request may come from.
  PUBLIC_ORIGINS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .superRefine((list, ctx) => {
      for (const o of list) {
        if (normalOrigin(o) === null) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${o}" is not an origin; write it like https://codesign.example.org` });
        }
      }
    })
    .transform((list) => list.map((o) => normalOrigin(o)!)),
  // Reverse proxies whose X-Forwarded-For / -Proto / -Host are believed: comma-separated addresses,
  // CIDR ranges, or Express's names "loopback", "linklocal", "uniquelocal". Empty: none, so the
  // socket's peer is the client. Hop counts and "true" are refused: they trust whoever connects.
  TRUST_PROXY: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .superRefine((list, ctx) => {
      const hops = list.find((v) => /^\d+$/.test(v));
      if (hops) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${hops}" is a hop count; name the proxy's address or range instead` });
        return;
      }
      try {
        proxyAddr.compile(list);
      } catch (e) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `${(e as Error).message}; use addresses, CIDR ranges (10.0.0.0/8) or loopback, linklocal, uniquelocal`,
        });
      }
    }),
  COOKIE_SECURE: z
    .enum(["true", "false", ""])
    .default("")
    .transform((v) => (v === "" ? undefined : v === "true")),
  // Default: seed the demo locally, never on a real deployment (PUBLIC_ORIGINS set).
  SEED_ON_EMPTY: z
    .enum(["true", "false", ""])
    .default("")
    .transform((v) => (v === "" ? undefined : v === "true")),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "silent"]).default("info"),
  SYNC_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(10),
  SYNC_CONNECTIONS_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  SYNC_COMPACT_AFTER_UPDATES: z.coerce.number().int().min(1).default(500),
  // When set, /metrics requires "Authorization: Bearer <token>".
  METRICS_TOKEN: z.string().default(""),
  // Request bodies (server/http/body-limits.ts): multipart uploads, every other body, form fields.
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 * 1024),
  MAX_FORM_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  MAX_FORM_FIELDS: z.coerce.number().int().min(10).default(1000),
  // Threads for heavy builds and parses (server/workers/); 0 runs them on the event loop.
  WORKER_THREADS: z.coerce.number().int().min(0).max(16).default(1),
  // Tests only: lets an organisation's OpenID issuer be http:// on this machine (127.0.0.1, localhost,
  // [::1]), for a provider running inside the test process. Refused on a real deployment.
  OIDC_ALLOW_HTTP_LOOPBACK: z
    .enum(["true", "false", ""])
    .default("")
    .transform((v) => v === "true"),
  // Mail (server/mail/). Without SMTP_URL messages stay in the outbox, readable on /admin/outbox.
  SMTP_URL: z
    .string()
    .default("")
    .refine((v) => v === "" || /^smtps?:\/\/[^/]+/.test(v), {
      message: "write it like smtp://user:password@smtp.example.org:587 (STARTTLS) or smtps://…:465 (TLS)",
    }),
  MAIL_FROM: z
    .string()
    .default("")
    .refine((v) => v === "" || /^([^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/.test(v.trim()), {
      message: "write it like Co-design Workspace <codesign@bury.gov.uk>",
    }),
  // The address people open the workspace at, for the links in emails, e.g. https://codesign.bury.gov.uk
  APP_ORIGIN: z
    .string()
    .default("")
    .refine((v) => v === "" || normalOrigin(v) !== null, { message: "write it like https://codesign.example.org" }),
  MAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5_000),
  MAIL_RETRY_MAX_MS: z.coerce.number().int().min(10).default(10 * 60_000),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(60),
  MAIL_POLL_MS: z.coerce.number().int().min(10).default(5_000),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  DIGEST_CHECK_MS: z.coerce.number().int().min(100).default(600_000),
  // Several nodes (server/cluster/): document updates, presence, page events and shared limits go
  // through this Redis server. Unset: one process, nothing shared.
  REDIS_URL: z
    .string()
    .default("")
    .refine((v) => v === "" || /^rediss?:\/\/[^\s]*$/.test(v), { message: "write it like redis://127.0.0.1:6379 (or rediss:// for TLS)" }),
  // Prepended to every Redis key and channel, so several deployments can share one Redis server.
  REDIS_KEY_PREFIX: z.string().default("codesign:"),
  // How often each node reads from the database the document updates Redis may have lost.
  CLUSTER_CATCH_UP_MS: z.coerce.number().int().min(100).default(2_000),
  // Guests' names of workshops closed longer ago than this are erased by a daily job (UK GDPR).
  GUEST_RETENTION_DAYS: z.coerce
    .number({ message: "write a whole number of days, like 90" })
    .int("write a whole number of days, like 90")
    .min(1, "keep guests' names at least 1 day after a workshop closes")
    .max(3650, "at most 3650 days (ten years)")
    .default(90),
});

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  /** The SQLite file; only used when `database` is SQLite. */
  databaseFile: string;
  /** DATABASE_URL (PostgreSQL) when set, else the SQLite file. */
  database: DatabaseTarget;
  publicOrigins: string[];
  /** Proxies whose forwarding headers are believed (proxy-addr syntax); empty: none. */
  trustProxy: string[];
  cookieSecure: boolean;
  seedOnEmpty: boolean;
  /** PUBLIC_ORIGINS is set: a real deployment, which never holds demo data or demo passwords. */
  realDeployment: boolean;
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  syncMaxMessageBytes: number;
  loginAttemptsPerMinute: number;
  syncConnectionsPerMinute: number;
  syncCompactAfterUpdates: number;
  metricsToken: string;
  maxUploadBytes: number;
  maxFormBytes: number;
  maxFormFields: number;
  workerThreads: number;
  /** Tests only: http issuers on loopback accepted for organisation sign-in. */
  oidcAllowHttpLoopback: boolean;
  mail: MailConfig;
  /** null: one process (no REDIS_URL). */
  cluster: { redisUrl: string; keyPrefix: string; catchUpMs: number } | null;
  /** Days after a workshop closes before its guests' names are erased. */
  guestRetentionDays: number;
};

export interface MailConfig {
  /** Empty: no delivery; messages stay in the outbox for admins to read (the local demo). */
  smtpUrl: string;
  from: string;
  /** Origin for links in emails; null only without SMTP (then the request's own origin is used). */
  appOrigin: string | null;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  pollMs: number;
  /** The daily summary goes out at this hour, London time (0-23). */
  digestHour: number;
  /** How often the server looks whether summaries are due. */
  digestCheckMs: number;
};

/** Read once at start-up; a bad value stops the process with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const publicOrigins = e.PUBLIC_ORIGINS;
  const realDeployment = publicOrigins.length > 0;
  if (realDeployment && e.SEED_ON_EMPTY === true) {
    throw new Error(
      "Invalid configuration:\n  SEED_ON_EMPTY: a real deployment (PUBLIC_ORIGINS set) never loads the demo data. Remove SEED_ON_EMPTY, or unset PUBLIC_ORIGINS for a local demo.",
    );
  }
  if (realDeployment && e.OIDC_ALLOW_HTTP_LOOPBACK) {
    throw new Error(
      "Invalid configuration:\n  OIDC_ALLOW_HTTP_LOOPBACK: a real deployment (PUBLIC_ORIGINS set) fetches sign-in tokens over https only. Remove OIDC_ALLOW_HTTP_LOOPBACK.",
    );
  }
  const appOrigin = e.APP_ORIGIN ? normalOrigin(e.APP_ORIGIN)! : (publicOrigins[0] ?? null);
  if (e.SMTP_URL && !e.MAIL_FROM) {
    throw new Error("Invalid configuration:\n  MAIL_FROM: with SMTP_URL set, say who emails come from, like Co-design Workspace <codesign@bury.gov.uk>.");
  }
  if (e.SMTP_URL && !appOrigin) {
    // A link built from a request's Host header could point anywhere: an attacker asking for a
    // reset of someone else's password would choose where the link goes.
    throw new Error("Invalid configuration:\n  APP_ORIGIN: with SMTP_URL set, give the address people open the workspace at (or set PUBLIC_ORIGINS), for the links in emails.");
  }
  if (e.MAIL_RETRY_MAX_MS < e.MAIL_RETRY_BASE_MS) {
    throw new Error("Invalid configuration:\n  MAIL_RETRY_MAX_MS: must be at least MAIL_RETRY_BASE_MS.");
  }
  const databaseFile = e.DATABASE_FILE === ":memory:" ? e.DATABASE_FILE : path.resolve(e.DATABASE_FILE);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseFile,
    database: e.DATABASE_URL ? { dialect: "postgres", url: e.DATABASE_URL } : { dialect: "sqlite", file: databaseFile },
    publicOrigins,
    trustProxy: e.TRUST_PROXY,
    cookieSecure: e.COOKIE_SECURE ?? publicOrigins.some((o) => o.startsWith("https:")),
    seedOnEmpty: e.SEED_ON_EMPTY ?? !realDeployment,
    realDeployment,
    logLevel: e.LOG_LEVEL,
    syncMaxMessageBytes: e.SYNC_MAX_MESSAGE_BYTES,
    loginAttemptsPerMinute: e.LOGIN_ATTEMPTS_PER_MINUTE,
    syncConnectionsPerMinute: e.SYNC_CONNECTIONS_PER_MINUTE,
    syncCompactAfterUpdates: e.SYNC_COMPACT_AFTER_UPDATES,
    metricsToken: e.METRICS_TOKEN,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    maxFormBytes: e.MAX_FORM_BYTES,
    maxFormFields: e.MAX_FORM_FIELDS,
    workerThreads: e.WORKER_THREADS,
    oidcAllowHttpLoopback: e.OIDC_ALLOW_HTTP_LOOPBACK,
    guestRetentionDays: e.GUEST_RETENTION_DAYS,
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM || "Co-design Workspace <codesign@localhost>",
      appOrigin,
      retryBaseMs: e.MAIL_RETRY_BASE_MS,
      retryMaxMs: e.MAIL_RETRY_MAX_MS,
      maxAttempts: e.MAIL_MAX_ATTEMPTS,
      pollMs: e.MAIL_POLL_MS,
      digestHour: e.DIGEST_HOUR,
      digestCheckMs: e.DIGEST_CHECK_MS,
    },
    cluster: e.REDIS_URL ? { redisUrl: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX, catchUpMs: e.CLUSTER_CATCH_UP_MS } : null,
  };
}

/** For logs and messages: the SQLite file, or the PostgreSQL server and database without the password. */
export function describeDatabase(config: Pick<Config, "database">): string {
  if (config.database.dialect === "sqlite") return config.database.file;
  const url = new URL(config.database.url);
  return `postgres://${url.username ? `${url.username}@` : ""}${url.host}${url.pathname}`;
}
