/**
 * Installing for real: a deployment (PUBLIC_ORIGINS set) starts empty and says how to make the
 * first administrator; the command makes one who can sign in; a demo database refuses to start
 * there; a local start still serves the seeded demo, saying so on every page.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ACCOUNTS, databaseEnv, login, startAppServer, tempDbFile, type AppServer } from "../helpers/app-server";
import { sqlRows } from "../helpers/test-db";

const REAL = { PUBLIC_ORIGINS: "https://codesign.example.org", COOKIE_SECURE: "false" };
const running: AppServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function run(cmd: string, args: string[], env: Record<string, string>, stdin?: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const proc = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (d) => (stdout += String(d)));
    proc.stderr.on("data", (d) => (stderr += String(d)));
    proc.on("exit", (code) => resolve({ code, stdout, stderr }));
    proc.stdin.end(stdin ?? "");
  });
}

const TSX = path.resolve("node_modules/.bin/tsx");
const createAdmin = async (dbFile: string, args: string[], password: string) =>
  run(TSX, ["scripts/create-admin.ts", ...args], await databaseEnv(dbFile), `${password}\n`);

async function userCount(dbFile: string): Promise<number> {
  return (await sqlRows<{ n: number }>(dbFile, "select count(*) as n from users"))[0]!.n;
}

describe("installing for real", () => {
  it("a real deployment on an empty database starts with no accounts and prints the create-admin command; the command makes an admin who signs in", async () => {
    const dbFile = tempDbFile("install");
    const server = await startAppServer({ dbFile, env: REAL });
    running.push(server);
    expect(await userCount(dbFile)).toBe(0);
    const hint = server.logs.find((l) => l.msg === "no accounts yet: create the first administrator");
    expect(String(hint?.command)).toContain("npm run create-admin -- --email");
    // No demo banner on a real deployment.
    expect(await (await fetch(`${server.url}/login`)).text()).not.toContain("demo-banner");

    const short = await createAdmin(dbFile, ["--email", "ana@example.org", "--name", "Ana Lopez", "--organisation", "Example Council"], "too-short");
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain("at least 12 characters");
    const demo = await createAdmin(dbFile, ["--email", "ana@example.org", "--name", "Ana Lopez", "--organisation", "Example Council"], "codesign-demo-2030");
    expect(demo.code).not.toBe(0);
    expect(demo.stderr).toContain("published demo password");
    const missing = await createAdmin(dbFile, ["--email", "ana@example.org"], "a-long-enough-password");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("Missing --name, --organisation");
    expect(await userCount(dbFile)).toBe(0);

    const made = await createAdmin(dbFile, ["--email", "Ana@Example.org", "--name", "Ana Lopez", "--organisation", "Example Council"], "a-long-enough-password");
    expect(made.stderr).toBe("");
    expect(made.code).toBe(0);
    expect(made.stdout).toContain("Created administrator ana@example.org");
    const again = await createAdmin(dbFile, ["--email", "ana@example.org", "--name", "Ana Lopez", "--organisation", "Example Council"], "a-long-enough-password");
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("already an account");

    // A real deployment answers as its public origin: the browser's Origin is that one.
    const signIn = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { Origin: REAL.PUBLIC_ORIGINS },
      body: new URLSearchParams({ email: "ana@example.org", password: "a-long-enough-password" }),
      redirect: "manual",
    });
    expect(signIn.status).toBe(302);
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    const admin = await fetch(`${server.url}/admin`, { headers: { Cookie: cookie } });
    expect(admin.status).toBe(200);
    const [row] = await sqlRows<{ system_role: string; password_hash: string }>(dbFile, "select system_role, password_hash from users");
    const audit = await sqlRows(dbFile, "select event, actor_user_id, actor_organisation_id from audit_log order by id");
    expect(row!.system_role).toBe("admin");
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
    expect(audit.map((a) => (a as { event: string }).event)).toEqual(["organisation.created", "user.created"]);
  }, 90_000);

  it("a demo database refuses to start as a real deployment, naming the fix; a local start serves it with the demo banner", async () => {
    const dbFile = tempDbFile("install-demo");
    const local = await startAppServer({ dbFile });
    running.push(local);
    const page = await (await fetch(`${local.url}/login`)).text();
    expect(page).toContain("demo-banner");
    const cookie = await login(local.url, ACCOUNTS.facilitator);
    expect(await (await fetch(`${local.url}/dashboard`, { headers: { Cookie: cookie } })).text()).toContain("demo-banner");
    await local.stop();

    const refused = await run(process.execPath, [path.resolve("build/app/server.js")], {
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      ...(await databaseEnv(dbFile)),
      LOG_LEVEL: "info",
      ...REAL,
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("published demo password");
    expect(refused.stderr).toContain("npm run create-admin");
    expect(refused.stderr).toContain("unset PUBLIC_ORIGINS");
    expect(refused.stdout).not.toContain('"msg":"listening"');
  }, 90_000);

  it("asking for the demo seed on a real deployment is a configuration error", async () => {
    const refused = await run(process.execPath, [path.resolve("build/app/server.js")], {
      NODE_ENV: "production",
      PORT: "0",
      ...(await databaseEnv(tempDbFile("install-conf"))),
      SEED_ON_EMPTY: "true",
      ...REAL,
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr + refused.stdout).toContain("never loads the demo data");
  });
});
