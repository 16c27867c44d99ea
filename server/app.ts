import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { migrateToLatest, openDatabase } from "../db/connection";
import { seedDatabase } from "../seeds/load";
import { LoginThrottle } from "./auth/login-throttle";
import { findSessionUser, sessionCookie, tokenFromCookieHeader } from "./auth/sessions";
import { guestCookie } from "./auth/guest-sessions";
import { releaseCaptureClaims } from "./domain/workshops/decisions";
import { GuestJoinThrottle } from "./workshops/join-throttle";
import { WorkshopHub } from "./workshops/live-hub";
import type { Config } from "./config";
import type { AppContext } from "./context";
import { PlanEvents } from "./events";
import type { Logger } from "./log";
import { isOriginAllowed } from "./origin";
import { plainText } from "./documents/lexical-content";
import { createSyncServer } from "./sync";
import { DocumentWatch } from "./agreement-watch";
import { refreshAgreementForDocument } from "./domain/agreement";
import { authorizeDocument } from "./sync/access";

export interface RunningServer {
  port: number;
  context: AppContext;
  close(reason?: string): Promise<void>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const { db, sqlite } = openDatabase(config.databaseFile);
  await migrateToLatest(db);
  if (config.seedOnEmpty) {
    const seeded = await seedDatabase(db);
    if (seeded) log.info({ databaseFile: config.databaseFile }, "seeded an empty database");
  }
  const released = await releaseCaptureClaims(db);
  if (released) log.warn({ released }, "released workshop ideas left half-captured by the previous process");

  // The sync server writes through its own connection: its synchronous commits must never nest
  // inside a Kysely transaction that happens to be open on the shared handle.
  const syncSqlite = config.databaseFile === ":memory:" ? sqlite : openDatabase(config.databaseFile).sqlite;
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

  const sync = createSyncServer({
    db,
    sqlite: syncSqlite,
    maxMessageBytes: config.syncMaxMessageBytes,
    plainText,
    isOriginAllowed: (req) => isOriginAllowed(req, config.publicOrigins),
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

  const context: AppContext = {
    db,
    config,
    log,
    events,
    sync,
    throttle: new LoginThrottle(config.loginAttemptsPerMinute),
    cookie,
    workshops: new WorkshopHub(db, log),
    guestCookie: guestCookie(config.cookieSecure),
    guestJoinThrottle: new GuestJoinThrottle(),
  };

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", ...sync.stats(), workshopStreams: context.workshops.stats().streams });
  });

  const httpServer = http.createServer(app);
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

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: config.env,
      getLoadContext: (req) => ({ app: context, clientAddress: req.ip ?? req.socket.remoteAddress ?? "" }),
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
  log.info({ port, env: config.env, databaseFile: config.databaseFile }, "listening");

  let closing: Promise<void> | null = null;
  return {
    port,
    context,
    close(reason = "The server is restarting. Your changes are saved; the page will reconnect.") {
      closing ??= (async () => {
        // Open event streams would hold the HTTP server open; pages reconnect to the next process.
        context.workshops.close();
        await new Promise<void>((resolve) => {
          // Ended streams leave keep-alive sockets idle a moment later: close those as they appear
          // rather than waiting for the keep-alive timeout.
          const idle = setInterval(() => httpServer.closeIdleConnections(), 50);
          httpServer.close(() => {
            clearInterval(idle);
            resolve();
          });
          httpServer.closeIdleConnections();
        });
        await sync.close(reason);
        await agreementWatch.close();
        await closeVite?.();
        await db.destroy();
        if (syncSqlite !== sqlite) syncSqlite.close();
      })();
      return closing;
    },
  };
}
