import pino from "pino";

export type Logger = pino.Logger;

/** Structured JSON lines on stdout: one event per line, ready for any log shipper. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "codesign-workspace" } });
}
