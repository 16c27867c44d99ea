import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { migrateToLatest, openDatabase, openDatabaseTarget, type DB } from "../db/connection";
import { LoginThrottle } from "./auth/login-throttle";
import { findSessionUser, sessionCookie, tokenFromCookieHeader } from "./auth/sessions";
import { guestCookie } from "./auth/guest-sessions";
import { releaseCaptureClaims } from "./domain/workshops/decisions";
import { GuestJoinThrottle } from "./workshops/join-throttle";
import { WorkshopHub } from "./workshops/live-hub";
import { describeDatabase, type Config } from "./config";
import type { AppContext } from "./context";
import { PlanEvents } from "./events";
import type { Logger } from "./log";
import { clientAddress, compileTrustProxy, isOwnOrigin } from "./origin";
import { crossSiteGuard } from "./http/cross-site-guard";
import { cspNonce, securityHeaders } from "./http/security-headers";
import { plainText } from "./documents/lexical-content";
import { lexicalDocumentGuard } from "./documents/lexical-shape";
import { DocumentScan } from "./documents/document-scan";
import { DocumentWatch } from "./agreement-watch";
import { refreshAgreementForDocument } from "./domain/agreement";
import { createMetrics } from "./metrics";
import { limitRequestBodies } from "./http/body-limits";
import { compressResponses } from "./http/compress";
import { createRequestHandler } from "./http/remix-handler";
import { createSyncServer } from "./sync";
import { createCluster } from "./cluster";
import { redisConnectionLimit, redisThrottleStore } from "./cluster/shared-limits";
import { createWorkerPool } from "./workers/pool";
import { authorizeDocument } from "./sync/access";
import { OidcSignIn, oidcBrowserCookie } from "./identity/oidc-sign-in";
import { createMailSender } from "./mail/sender";
import { smtpTransport } from "./mail/transport";
import { startDigestJob } from "./notifications/digest";
import { configureNotificationMail } from "./notifications/settings";
import { startGuestRetention } from "./guest-retention";

export interface RunningServer {
  port: number;
  context: AppContext;
  close(reason?: string): Promise<void>;
}

/**
 * What the database must be made before it is served (demo seeding, the real-deployment checks).
 * The caller supplies it, so this module wires the running server and knows nothing of seeds.
 */
export type PrepareDatabase = (db: DB, config: Config, log: Logger) => Promise<{ demo: boolean }>;

export async function startServer(config: Config, log: Logger, steps: { prepareDatabase: PrepareDatabase }): Promise<RunningServer> {
  const opened = openDatabaseTarget(config.database);
  const { db } = opened;
  const sqlite = opened.dialect === "sqlite" ? opened.sqlite : null;
  await migrateToLatest(db);
  const install = await steps.prepareDatabase(db, config, log).catch(async (err) => {
    await db.destroy();
    throw err;
  });
  const released = await releaseCaptureClaims(db);
  if (released) log.warn({ released }, "released workshop ideas left half-captured by the previous process");

  // The sync server writes through its own connection: its synchronous commits must never nest
  // inside a Kysely transaction that happens to be open on the shared handle.
  // One rule for which forwarding headers to believe, for HTTP (Express) and the sync upgrade alike.
  const trust = compileTrustProxy(config.trustProxy);
  // On PostgreSQL the sync server commits through the pool (its transactions never nest).
  const syncSqlite = sqlite === null ? null : config.databaseFile === ":memory:" ? sqlite : openDatabase(config.databaseFile).sqlite;
  const cookie = sessionCookie(config.cookieSecure);
  const events = new PlanEvents();

  // Agreed words changed through the sync server: re-derive that action's agreement and nudge
  // every open page of its plan ("changed since agreed" appears without a reload).
  const agreementWatch = new DocumentWatch({
    delayMs: 300,
    maxWaitMs: 2000,
    run: async (documentId) => {
      const change = await refreshAgreementForDocument(db, sync, documentId);
      if (change) events.publish({ planId: change.planId, kind: "agreement", actionId: change.actionId, summary: change.summary });
    },
    onError: (documentId, error) => log.error({ document: documentId, error: String(error) }, "could not re-derive agreement"),
  });
  const metrics = createMetrics();
  // Several nodes (REDIS_URL): document updates, presence, page events, access re-checks and
  // throttles cross nodes through Redis (server/cluster/). Unset: this process is the only one.
  const cluster = config.cluster
    ? createCluster({
        url: config.cluster.redisUrl,
        prefix: config.cluster.keyPrefix,
        catchUpMs: config.cluster.catchUpMs,
        db,
        log: (level, msg, fields) => log[level]({ ...fields, component: "cluster" }, msg),
      })
    : null;
  const mail = createMailSender({
    db,
    transport: config.mail.smtpUrl ? smtpTransport(config.mail.smtpUrl) : null,
    from: config.mail.from,
    retryBaseMs: config.mail.retryBaseMs,
    retryMaxMs: config.mail.retryMaxMs,
    maxAttempts: config.mail.maxAttempts,
    pollMs: config.mail.pollMs,
    log: (level, msg, fields) => log[level]({ ...fields, component: "mail" }, msg),
  });
  // Links in notification emails: APP_ORIGIN (required with SMTP); the demo's own address otherwise.
  const mailOrigin = config.mail.appOrigin ?? `http://localhost:${config.port || 3000}`;
  configureNotificationMail({ appOrigin: mailOrigin, nudge: () => mail.nudge() });

  const localSync = createSyncServer({
    db,
    cluster: cluster?.documents,
    sqlite: syncSqlite,
    maxMessageBytes: config.syncMaxMessageBytes,
    connectionsPerMinute: config.syncConnectionsPerMinute,
    connectionLimit: cluster ? redisConnectionLimit(cluster.redis, config.syncConnectionsPerMinute) : undefined,
    compactAfterUpdates: config.syncCompactAfterUpdates,
    clientAddress: (req) => clientAddress(req, trust),
    observer: metrics.syncObserver,
    plainText,
    // Only documents the editor can read are accepted (issue 10): see server/documents/lexical-shape.ts.
    documentGuard: lexicalDocumentGuard,
    // A browser always sends Origin on a WebSocket upgrade: scheme, host and port must be ours.
    isOriginAllowed: (req) => isOwnOrigin(req.headers.origin, req, config.publicOrigins, trust),
    authenticate: async (req) => {
      const user = await findSessionUser(db, await tokenFromCookieHeader(cookie, req.headers.cookie));
      return user
        ? {
            userId: user.userId,
            sessionHash: user.sessionHash,
            name: user.name,
            organisationId: user.organisationId,
            organisationName: user.organisationName,
          }
        : null;
    },
    authorize: (principal, documentId) => authorizeDocument(db, principal, documentId),
    onDocumentCommitted: (documentId) => agreementWatch.touch(documentId),
    log: (level, msg, fields) => log[level]({ ...fields, component: "sync" }, msg),
  });
  const workshops = new WorkshopHub(db, log);
  const sync = cluster ? cluster.join({ planEvents: events, workshops, sync: localSync }) : localSync;
  if (cluster) log.info({ node: cluster.redis.nodeId, prefix: config.cluster!.keyPrefix }, "cluster node: sharing documents and events through Redis");

  const context: AppContext = {
    db,
    config,
    log,
    events,
    sync,
    throttle: new LoginThrottle(config.loginAttemptsPerMinute, cluster ? redisThrottleStore(cluster.redis, "sign-in") : undefined),
    resetThrottle: new LoginThrottle(config.loginAttemptsPerMinute, cluster ? redisThrottleStore(cluster.redis, "reset") : undefined),
    mail,
    cookie,
    workshops,
    guestCookie: guestCookie(config.cookieSecure),
    guestJoinThrottle: new GuestJoinThrottle(undefined, cluster ? redisThrottleStore(cluster.redis, "guest") : undefined),
    documentScan: new DocumentScan(db, sync, log),
    workers: createWorkerPool({ threads: config.workerThreads, database: config.database, db }),
    oidc: new OidcSignIn(db, { allowHttpLoopback: config.oidcAllowHttpLoopback, log }),
    oidcCookie: oidcBrowserCookie(config.cookieSecure),
    demo: install.demo,
  };

  metrics.watchSync(sync);
  let stopping = false;

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trust);
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpResponse(req.method, res.statusCode, seconds);
      const quiet = req.path.startsWith("/assets/") || req.path === "/healthz" || req.path === "/metrics";
      log[quiet ? "debug" : "info"](
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(seconds * 10000) / 10 },
        "http",
      );
    });
    next();
  });
  // Before everything else, so that every response carries the headers and no route, Remix's
  // included, sees a cross-site state change.
  app.use(securityHeaders({ publicOrigins: config.publicOrigins, trust, development: config.env !== "production" }));
  app.use(crossSiteGuard({ publicOrigins: config.publicOrigins, trust }));
  app.use(compressResponses());
  // For load balancers and orchestrators: 503 as soon as a shutdown starts, so no new traffic
  // is sent here while the open documents are flushed and closed.
  app.get("/healthz", (_req, res) => {
    res.status(stopping ? 503 : 200).json({
      status: stopping ? "stopping" : "ok",
      ...sync.stats(),
      workshopStreams: context.workshops.stats().streams,
    });
  });
  app.get("/metrics", async (req, res) => {
    if (config.metricsToken && req.get("authorization") !== `Bearer ${config.metricsToken}`) {
      res.status(401).type("text/plain").send("Send the metrics token as 'Authorization: Bearer <token>'.\n");
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // A client that opens a connection and never finishes its request headers (or its upgrade)
  // is cut off after 10 s; the check runs every second instead of Node's default 30 s. Bodies
  // keep Node's default (300 s) so a slow upload still completes.
  const httpServer = http.createServer({ headersTimeout: 10_000, connectionsCheckingInterval: 1_000 }, app);
  let build: ServerBuild | (() => Promise<ServerBuild>);
  let closeVite: (() => Promise<void>) | null = null;
  if (config.env === "production") {
    const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
    app.use(
      "/assets",
      express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }),
    );
    app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
    build = (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
  } else {
    const vite = await import("vite");
    const viteServer = await vite.createServer({
      server: { middlewareMode: true, hmr: { server: httpServer } },
    });
    app.use(viteServer.middlewares);
    build = () => viteServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
    closeVite = () => viteServer.close();
  }

  app.use(limitRequestBodies({ uploadBytes: config.maxUploadBytes, formBytes: config.maxFormBytes, formFields: config.maxFormFields }));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: config.env,
      getLoadContext: (req, res) => ({ app: context, clientAddress: req.ip ?? req.socket.remoteAddress ?? "", cspNonce: cspNonce(res) }),
    }),
  );

  httpServer.on("upgrade", (req, socket, head) => {
    if (sync.handleUpgrade(req, socket, head)) return;
    // Vite's HMR socket (development only) has its own upgrade listener on this server.
    if (closeVite && req.headers["sec-websocket-protocol"] === "vite-hmr") return;
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  log.info({ port, env: config.env, database: describeDatabase(config) }, "listening");
  // In the background, once listening: a bad stored document is listed, never a reason not to start.
  const scanned = context.documentScan.run();
  await mail.start();
  const digests = startDigestJob(db, {
    hour: config.mail.digestHour,
    appOrigin: mailOrigin,
    checkMs: config.mail.digestCheckMs,
    nudge: () => mail.nudge(),
    log: (level, msg, fields) => log[level]({ ...fields, component: "digest" }, msg),
  });
  const guestRetention = startGuestRetention({
    db,
    retentionDays: config.guestRetentionDays,
    log: (level, msg, fields) => log[level]({ ...fields, component: "guest-retention" }, msg),
  });

  let closing: Promise<void> | null = null;
  return {
    port,
    context,
    /**
     * Graceful stop: refuse new connections (and answer /healthz with 503), close every sync
     * socket with 1012 and a reason the page shows, after every accepted update is on disk and
     * each open document is snapshotted; give HTTP requests in flight a moment, end the rest
     * (Server-Sent Event streams), then close the database.
     */
    close(reason = "The server is restarting; your changes are saved.") {
      closing ??= (async () => {
        stopping = true;
        context.documentScan.stop();
        digests.stop();
        // Open event streams would hold the HTTP server open; pages reconnect to the next process.
        context.workshops.close();
        const listenerClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        await scanned;
        await sync.close(reason);
        await cluster?.close();
        await agreementWatch.close();
        // The message in flight is marked before the database closes (exactly once across a restart).
        await mail.close();
        await guestRetention.stop();
        // Plan-page event streams and other long requests get two seconds, then are cut.
        await Promise.race([listenerClosed, new Promise((r) => setTimeout(r, 2000).unref())]);
        httpServer.closeAllConnections();
        await listenerClosed;
        await closeVite?.();
        await context.workers.close();
        await db.destroy();
        if (syncSqlite && syncSqlite !== sqlite) syncSqlite.close();
        metrics.stop();
        log.info("stopped");
      })();
      return closing;
    },
  };
}
