/**
 * Every request body is read here, on the stream, before Remix sees it, so that one request can
 * neither fill memory nor hold the event loop: a declared Content-Length over the limit is
 * refused before a byte of the body is read, a chunked body is counted as it arrives and refused
 * at the limit, and the number of form fields (urlencoded `&`s, multipart parts) is counted on
 * the same pass, so a form of a million tiny fields never reaches a parser. Refusals are 413 with
 * a sentence naming the limit. What passes is kept as `req.body` (a Buffer no larger than the
 * limit) for server/http/remix-handler.ts.
 *
 * After a refusal the rest of the body is discarded for at most a second, so the client is still
 * reading when the answer arrives (closing at once can reset the connection under the answer),
 * then the connection is cut.
 */
import type { Socket } from "node:net";
import type { RequestHandler, Request as ExpressRequest, Response as ExpressResponse } from "express";

export interface BodyLimits {
  /** Largest multipart/form-data body (the file's own limit plus MULTIPART_ENVELOPE_BYTES). */
  uploadBytes: number;
  /** Largest body of any other type. */
  formBytes: number;
  /** Most fields in one form, urlencoded or multipart. */
  formFields: number;
}

/** Room for the other fields and part headers of an upload form around its file. */
export const MULTIPART_ENVELOPE_BYTES = 64 * 1024;
const DISCARD_GRACE_MS = 1000;
const AMPERSAND = 0x26;

export function formatLimit(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib >= 1) return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

function hasBody(req: ExpressRequest): boolean {
  if (req.headers["transfer-encoding"] !== undefined) return true;
  const length = req.headers["content-length"];
  return length !== undefined && length !== "0";
}

function refuse(req: ExpressRequest, res: ExpressResponse, status: number, sentence: string) {
  if (res.headersSent) return;
  // Node ends a connection whose request it has not read to the end with destroySoon(): closing a
  // socket with unread bytes makes the kernel send a reset, and a client still uploading then
  // loses the answer. Half-close instead (the answer is flushed, then FIN), discard what is still
  // in flight, and cut the connection after the grace.
  const socket = req.socket as Socket & { destroySoon?: () => void };
  socket.destroySoon = () => {
    socket.end();
    setTimeout(() => socket.destroy(), DISCARD_GRACE_MS).unref();
  };
  req.resume();
  res.status(status).type("text/plain; charset=utf-8").send(`${sentence}\n`);
}

/** Counts occurrences of `needle` across chunks, carrying the tail of each chunk into the next. */
function occurrenceCounter(needle: Buffer) {
  let carry = Buffer.alloc(0);
  let count = 0;
  return (chunk: Buffer): number => {
    const hay = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + needle.length)) count += 1;
    carry = Buffer.from(hay.subarray(Math.max(0, hay.length - (needle.length - 1))));
    return count;
  };
}

function fieldCounter(contentType: string): ((chunk: Buffer) => number) | null {
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
    let ampersands = 0;
    return (chunk) => {
      for (let i = chunk.indexOf(AMPERSAND); i !== -1; i = chunk.indexOf(AMPERSAND, i + 1)) ampersands += 1;
      return ampersands + 1;
    };
  }
  const boundary = /^multipart\/form-data\b.*?;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (boundary) {
    // Each part begins with "--boundary"; the closing delimiter is one more.
    const count = occurrenceCounter(Buffer.from(`--${boundary[1] ?? boundary[2]}`));
    return (chunk) => Math.max(0, count(chunk) - 1);
  }
  return null;
}

export function limitRequestBodies(limits: BodyLimits): RequestHandler {
  return (req, res, next) => {
    if (!hasBody(req)) return next();
    const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
    if (encoding !== "identity") {
      refuse(req, res, 415, "Send the request uncompressed: compressed request bodies are not accepted.");
      return;
    }
    const contentType = req.headers["content-type"] ?? "";
    const multipart = /^multipart\/form-data/i.test(contentType);
    const limit = multipart ? limits.uploadBytes + MULTIPART_ENVELOPE_BYTES : limits.formBytes;
    const tooLarge = multipart
      ? `The upload is larger than ${formatLimit(limits.uploadBytes)}. Split the file into smaller files and send each.`
      : `The request is larger than ${formatLimit(limits.formBytes)}. Send less at once.`;
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      refuse(req, res, 413, tooLarge);
      return;
    }
    const countFields = fieldCounter(contentType);
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const stop = () => {
      done = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      if (done) return;
      received += chunk.length;
      if (received > limit) {
        stop();
        refuse(req, res, 413, tooLarge);
        return;
      }
      if (countFields && countFields(chunk) > limits.formFields) {
        stop();
        refuse(req, res, 413, `The form has more than ${limits.formFields.toLocaleString("en-GB")} fields. Send fewer fields at once.`);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (done) return;
      stop();
      req.body = Buffer.concat(chunks, received);
      next();
    };
    // An aborted upload has nobody to answer.
    const onError = () => stop();
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  };
}
