// `npm run create-admin -- --email … --name … --organisation …`: the first administrator of a new
// installation (or another one later). The password is read from the terminal (hidden, asked
// twice) or, when stdin is not a terminal, from its first line, so it never lands in shell history.
import { parseArgs } from "node:util";
import readline from "node:readline";
import { ZodError } from "zod";
import { migrateToLatest, openDatabaseTarget } from "../db/connection";
import { describeDatabase, loadConfig } from "../server/config";
import { DomainError } from "../server/domain/errors";
import { createFirstAdmin, FirstAdminInput } from "../server/domain/first-admin";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function askHidden(prompt: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Echo nothing while the password is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
    if (s.startsWith(prompt)) process.stderr.write(prompt);
  };
  const answer = await new Promise<string>((resolve) => rl.question(prompt, resolve));
  rl.close();
  process.stderr.write("\n");
  return answer;
}

async function readFirstLine(): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return "";
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readFirstLine();
  const first = await askHidden("Password (at least 12 characters): ");
  const second = await askHidden("The same password again: ");
  if (first !== second) fail("The two passwords differ. Run the command again.");
  return first;
}

let args;
try {
  args = parseArgs({
    options: { email: { type: "string" }, name: { type: "string" }, organisation: { type: "string" } },
    strict: true,
  }).values;
} catch (err) {
  fail(`${(err as Error).message}\nUsage: npm run create-admin -- --email you@org.example --name "Your Name" --organisation "Your Organisation"`);
}
const missing = (["email", "name", "organisation"] as const).filter((k) => !args[k]);
if (missing.length) {
  fail(`Missing ${missing.map((k) => `--${k}`).join(", ")}.\nUsage: npm run create-admin -- --email you@org.example --name "Your Name" --organisation "Your Organisation"`);
}

const config = loadConfig();
const password = await readPassword();
const parsed = FirstAdminInput.safeParse({ ...args, password });
if (!parsed.success) fail(parsed.error.issues.map((i) => i.message).join("\n"));

// DATABASE_URL when set, as the server itself chooses: the administrator must land where it reads.
const { db } = openDatabaseTarget(config.database);
try {
  await migrateToLatest(db);
  const made = await createFirstAdmin(db, parsed.data);
  process.stdout.write(
    `Created administrator ${parsed.data.email} (${parsed.data.organisation}${made.organisationCreated ? ", a new organisation" : ""}) in ${describeDatabase(config)}. Sign in at /login.\n`,
  );
} catch (err) {
  if (err instanceof DomainError || err instanceof ZodError) fail(err.message);
  throw err;
} finally {
  await db.destroy();
}
