/**
 * The HTTP side of joining a room: which URLs are ours, which room names exist at all, and the
 * plain HTTP answer for a refused upgrade (browsers show none of it, but logs and tools do).
 */
import { STATUS_CODES } from "node:http";
import type stream from "node:stream";

const ROOM_NAME = /^[A-Za-z0-9_-]+$/;
const MAX_ROOM_NAME = 128;

export type RoomTarget = { ok: true; documentId: string } | { ok: false; reason: string };

export function normalisePrefix(prefix: string): string {
  // Without the trailing slash "/sync" would also claim "/sync-admin/...".
  return prefix.endsWith("/") ? prefix : `${prefix}/`;
}

/**
 * null when the URL is not under the prefix. Names are validated, never repaired: "doc/",
 * "doc%2Fx" or " doc" could otherwise reach a different room than the one that was authorised.
 */
export function roomFromUrl(url: string | undefined, prefix: string): RoomTarget | null {
  const path = (url ?? "").split("?", 1)[0];
  if (!path.startsWith(prefix)) return null;
  let name: string;
  try {
    name = decodeURIComponent(path.slice(prefix.length));
  } catch {
    return { ok: false, reason: "The document id in the URL is not valid percent-encoding." };
  }
  if (name.length === 0) {
    return { ok: false, reason: `The URL names no document; connect to ${prefix}<document id>.` };
  }
  if (name.length > MAX_ROOM_NAME) {
    return { ok: false, reason: `The document id is longer than ${MAX_ROOM_NAME} characters.` };
  }
  if (!ROOM_NAME.test(name)) {
    return {
      ok: false,
      reason: "The document id may contain only letters, digits, '-' and '_' (no slashes or spaces).",
    };
  }
  return { ok: true, documentId: name };
}

/** Answers a refused upgrade with a plain HTTP response and closes the socket. */
export function refuseUpgrade(
  socket: stream.Duplex,
  status: number,
  reason: string,
  headers: Record<string, string> = {},
): void {
  if (socket.destroyed) return;
  const body = `${reason}\n`;
  socket.once("finish", () => socket.destroy());
  // A peer that never reads would otherwise keep the socket open.
  setTimeout(() => socket.destroy(), 2000).unref();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\n` +
      "Connection: close\r\n" +
      "Content-Type: text/plain; charset=utf-8\r\n" +
      Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join("") +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "\r\n" +
      body,
  );
}
