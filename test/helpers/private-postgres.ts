/**
 * A PostgreSQL server of the test's own (initdb into a temporary directory, on a free loopback
 * port), for tests that stop the database under a running app: the shared server on 5432 serves
 * every other test file at the same time and must never be stopped. Uses the server binaries of
 * Debian's `postgresql` package (present wherever the shared server runs locally, and installed
 * by `.ci/run` where it does not). As root, the server runs as the `postgres` user, as initdb
 * refuses to run as root.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface PrivatePostgres {
  /** postgres://… of its `postgres` database. */
  url: string;
  /** Stops the server at once (`-m immediate`: sessions end without a checkpoint, as in a crash). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  destroy(): Promise<void>;
}

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb"))) : [];
  if (versions.length === 0) {
    throw new Error(`No PostgreSQL server binaries under ${root}: install Debian's postgresql package (as .ci/run does) to run this test.`);
  }
  versions.sort((a, b) => Number(a) - Number(b));
  return path.join(root, versions[versions.length - 1], "bin");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startPrivatePostgres(label: string): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `codesign-pg-${label}-`));
  const data = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = await run("id", ["-u", "postgres"]).then(async ({ stdout }) => ({
      uid: Number(stdout.trim()),
      gid: Number((await run("id", ["-g", "postgres"])).stdout.trim()),
    }));
    fs.chownSync(dir, uid, gid);
  }
  const exec = (tool: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]) : run(path.join(bin, tool), args);
  await exec("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const port = await freePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c max_connections=60`;
  const start = async () => {
    await exec("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "-t", "30", "start"]);
  };
  const stop = async () => {
    await exec("pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"]);
  };
  await start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await stop().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
