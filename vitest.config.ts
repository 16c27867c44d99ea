import { defineConfig } from "vitest/config";

/**
 * The domain and HTTP suites run twice: on SQLite (every file, as always) and on PostgreSQL (the
 * files below, each server on a fresh database: test/helpers/postgres.ts). A file joins the list
 * once it passes there; the files left out are listed after it with the reason.
 */
const ON_POSTGRES_TOO = [
  "test/integration/compression.test.ts",
  "test/integration/not-found.test.ts",
  "test/integration/workshop-record.test.ts",
  "test/integration/planning-cycle.test.ts",
  "test/integration/version-restore.test.ts",
  "test/integration/workshop-decisions.test.ts",
  "test/integration/request-limits.test.ts",
  "test/integration/workshop-guests.test.ts",
  "test/integration/people-invitations.test.ts",
  "test/integration/people-passwords.test.ts",
  "test/integration/security-http.test.ts",
  "test/integration/workshop-bad-input.test.ts",
  "test/integration/oidc-sign-in.test.ts",
  "test/integration/workshop-lock.test.ts",
  "test/integration/workshop-restart.test.ts",
  "test/integration/inbox.test.ts",
  "test/integration/cross-issue.test.ts",
  "test/integration/domain-transactions.test.ts",
  "test/integration/seed-accountability.test.ts",
  "test/integration/seed-delivery.test.ts",
  "test/integration/seed.test.ts",
  "test/integration/accept-all.test.ts",
  "test/integration/lead-handover.test.ts",
  "test/integration/power-sharing.test.ts",
  "test/integration/mail-outbox.test.ts",
  "test/integration/install.test.ts",
  "test/integration/notification-email.test.ts",
  "test/integration/personal-data.test.ts",
  "test/integration/unreadable-document-http.test.ts",
  "test/integration/app-server.test.ts",
  "test/integration/agreement.test.ts",
  "test/integration/accountability-http.test.ts",
  "test/integration/engagement-http.test.ts",
  "test/integration/board-report.test.ts",
  "test/integration/workshop-votes.test.ts",
  // The sync server over the harness: on PostgreSQL these exercise the asynchronous writer.
  "test/integration/comment-anchors-sync.test.ts",
  "test/integration/hardening-awareness.test.ts",
  "test/integration/hardening-convergence.test.ts",
  "test/integration/hardening-crafted-updates.test.ts",
  "test/integration/hardening-document-shape.test.ts",
  "test/integration/hardening-sync-limits.test.ts",
  "test/integration/sync-bad-input.test.ts",
  "test/integration/sync-presence.test.ts",
  "test/integration/sync-sessions.test.ts",
  "test/integration/sync-upgrade.test.ts",
];

/**
 * PostgreSQL's own write path, its backups and a database stopped under two nodes: meaningless on
 * SQLite (sync-durability.test.ts and hardening-operations.test.ts are their twins).
 */
const ON_POSTGRES_ONLY = [
  "test/integration/sync-postgres-writer.test.ts",
  "test/integration/backup-postgres.test.ts",
  "test/cluster/cluster-postgres-outage.test.ts",
];

/**
 * Two app nodes and Redis: on PostgreSQL, the mode several nodes are meant to run in, and on one
 * shared SQLite file (nodes on one machine), which stays supported.
 */
const CLUSTER = ["test/cluster/cluster-documents.test.ts", "test/cluster/cluster-state.test.ts"];

/**
 * SQLite-only, and why:
 * - migrations-dialects: it compares both dialects itself, in one run.
 * - hardening-sqlite-busy, workshop-migration: SQLITE_BUSY and SQLite's table rebuild.
 * - sync-commit-hook, sync-server-change, sync-durability, sync-editing: they check "stored before
 *   sent" synchronously on SQLite's raw handle from inside the server's broadcast (the harness's
 *   `h.sqlite`); sync-postgres-writer.test.ts is PostgreSQL's own check of the same promise.
 * - hardening-operations: `npm run backup` / restore copy the SQLite file (PostgreSQL is backed
 *   up with pg_dump, see the README), and its kill -9 during compaction checks the file with
 *   PRAGMA integrity_check. Its demotion and /healthz cases would run on both if moved out.
 */
const shared = {
  environment: "node" as const,
  testTimeout: 30_000,
  // better-sqlite3 is a native addon and the sync tests open real sockets: separate processes
  // keep one file's handles and timers from leaking into another.
  pool: "forks" as const,
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: "sqlite", include: ["test/**/*.test.ts"], exclude: ON_POSTGRES_ONLY } },
      {
        test: {
          ...shared,
          name: "postgres",
          include: [...ON_POSTGRES_TOO, ...ON_POSTGRES_ONLY, ...CLUSTER],
          env: { CODESIGN_TEST_DIALECT: "postgres" },
          setupFiles: ["test/helpers/postgres-setup.ts"],
        },
      },
    ],
  },
});
