/**
 * The y-websocket wire format, parsed by hand so that every frame is fully validated before any
 * of it touches a document, and so that read-only connections can be filtered by sub-type.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

export type ClientMessage =
  | { kind: "sync-step-1"; stateVector: Uint8Array }
  | { kind: "sync-step-2"; update: Uint8Array }
  | { kind: "update"; update: Uint8Array }
  | { kind: "awareness"; update: Uint8Array }
  | { kind: "query-awareness" };

/** A frame we refuse; `message` is shown to the client as the close reason, so keep it short. */
export class ProtocolError extends Error {}

export function parseClientMessage(frame: Uint8Array): ClientMessage {
  if (frame.length === 0) throw new ProtocolError("empty message");
  const decoder = decoding.createDecoder(frame);
  const message = decodeOrThrow(() => readMessage(decoder), "malformed message");
  if (decoding.hasContent(decoder)) throw new ProtocolError("unexpected bytes after the message");
  return message;
}

function readMessage(decoder: decoding.Decoder): ClientMessage {
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MESSAGE_SYNC:
      return readSync(decoder);
    case MESSAGE_AWARENESS:
      return { kind: "awareness", update: decoding.readVarUint8Array(decoder) };
    case MESSAGE_QUERY_AWARENESS:
      return { kind: "query-awareness" };
    default:
      // messageAuth is server-to-client only; anything else is not y-websocket.
      throw new ProtocolError(`unknown message type ${type}`);
  }
}

function readSync(decoder: decoding.Decoder): ClientMessage {
  const syncType = decoding.readVarUint(decoder);
  switch (syncType) {
    case SYNC_STEP_1: {
      const stateVector = decoding.readVarUint8Array(decoder);
      decodeOrThrow(() => Y.decodeStateVector(stateVector), "malformed state vector");
      return { kind: "sync-step-1", stateVector };
    }
    case SYNC_STEP_2:
    case SYNC_UPDATE: {
      // The update itself is walked by update-guard.ts against the room's state before Yjs sees
      // it (Y.applyUpdate integrates structs before it reads the delete set, so a truncated
      // update would change the document and then throw).
      const update = decoding.readVarUint8Array(decoder);
      return { kind: syncType === SYNC_STEP_2 ? "sync-step-2" : "update", update };
    }
    default:
      throw new ProtocolError(`unknown sync message type ${syncType}`);
  }
}

function decodeOrThrow<T>(decode: () => T, reason: string): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(reason);
  }
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_STEP_1);
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc));
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_STEP_2);
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc, stateVector));
  return encoding.toUint8Array(encoder);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_UPDATE);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeAwareness(awarenessUpdate: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, awarenessUpdate);
  return encoding.toUint8Array(encoder);
}

/** Yjs never emits an update event without content, but an empty update is two zero lengths. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length <= 2 && update.every((b) => b === 0);
}
