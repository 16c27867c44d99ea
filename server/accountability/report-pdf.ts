/**
 * PDF of the board report, made from the .odt by LibreOffice when it is installed on the server
 * (optional, detected, never required: without it the Reports page says so and offers the .odt
 * and Word files). `soffice` is found on PATH, or named by LIBREOFFICE_PATH. Conversions run one
 * at a time in a child process (LibreOffice cannot share a profile between two at once), so the
 * event loop never waits for them.
 */
import { execFile } from "node:child_process";
import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { constants } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

let found: Promise<string | null> | null = null;

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The soffice binary, or null. Looked up once per process. */
export function findSoffice(): Promise<string | null> {
  found ??= (async () => {
    const named = process.env.LIBREOFFICE_PATH;
    if (named) return (await executable(named)) ? named : null;
    for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
      for (const name of ["soffice", "libreoffice"]) {
        const candidate = path.join(dir, name);
        if (await executable(candidate)) return candidate;
      }
    }
    return null;
  })();
  return found;
}

export async function pdfAvailable(): Promise<boolean> {
  return (await findSoffice()) !== null;
}

let queue: Promise<unknown> = Promise.resolve();
const profile = path.join(os.tmpdir(), `codesign-soffice-profile-${process.getuid?.() ?? "user"}`);

/** Converts an OpenDocument (or Word) file to PDF. Throws when LibreOffice is absent or fails. */
export function convertToPdf(input: Buffer, ext: "odt" | "docx", timeoutMs = 120_000): Promise<Buffer> {
  const run = async () => {
    const soffice = await findSoffice();
    if (!soffice) throw new Error("LibreOffice (soffice) is not installed on this server.");
    const dir = await mkdtemp(path.join(os.tmpdir(), "codesign-pdf-"));
    try {
      const file = path.join(dir, `report.${ext}`);
      await writeFile(file, input);
      await new Promise<void>((resolve, reject) => {
        execFile(
          soffice,
          [`-env:UserInstallation=${pathToFileURL(profile).href}`, "--headless", "--norestore", "--nologo", "--convert-to", "pdf", "--outdir", dir, file],
          { timeout: timeoutMs, env: { ...process.env, HOME: process.env.HOME ?? os.tmpdir() } },
          (err, _stdout, stderr) => (err ? reject(new Error(`LibreOffice could not convert the report: ${stderr || err.message}`)) : resolve()),
        );
      });
      return await readFile(path.join(dir, "report.pdf"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}
