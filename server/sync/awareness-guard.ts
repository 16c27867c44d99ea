/**
 * Presence is shown to partners as "who is here", so the server, not the client, says who a
 * cursor belongs to: identity fields are overwritten from the session, and a connection may only
 * speak for the awareness client ids it claimed first.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { SyncPrincipal } from "./types";
import { ProtocolError } from "./protocol";
import { presenceColour } from "../presence-colours";

export const MAX_CLIENT_IDS_PER_CONNECTION = 4;
export const MAX_AWARENESS_STATE_BYTES = 4096;

export function presenceIdentity(principal: SyncPrincipal) {
  return {
    name: `${principal.name} (${principal.organisationName})`,
    color: presenceColour(principal.userId),
    user: {
      id: principal.userId,
      name: principal.name,
      organisationId: principal.organisationId,
      organisationName: principal.organisationName,
    },
  };
}

export interface AwarenessClaims {
  /**
   * "ok" if the connection controls this client id now (claiming it if it may), "other" if
   * another connection controls it, "cap" if this connection already controls its maximum.
   */
  claim(clientId: number): "ok" | "other" | "cap";
}

export interface GuardedAwareness {
  /** Re-encoded update holding only accepted, rewritten entries; null if nothing was accepted. */
  update: Uint8Array | null;
  /** Entries refused for a reason worth logging (oversized, not JSON, over the per-connection cap). */
  ignored: { clientId: number; why: string }[];
  /**
   * Entries for client ids another connection controls. y-websocket clients send back every
   * presence entry they receive (N clients echo each change N times), so these are normal
   * traffic: dropped quietly and cheaply, never relayed.
   */
  echoes: number;
}

/** More entries than this in one frame is not a browser (which echoes at most one per person). */
export const MAX_AWARENESS_ENTRIES_PER_FRAME = 2000;

const textDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function guardAwarenessUpdate(
  incoming: Uint8Array,
  principal: SyncPrincipal,
  claims: AwarenessClaims,
): GuardedAwareness {
  const entries = decodeEntries(incoming);
  const identity = presenceIdentity(principal);
  const accepted: { clientId: number; clock: number; json: string }[] = [];
  const ignored: GuardedAwareness["ignored"] = [];
  let echoes = 0;
  for (const entry of entries) {
    // Ownership first: most entries are echoes of other people's presence, not worth parsing.
    const claim = claims.claim(entry.clientId);
    if (claim === "other") {
      echoes++;
      continue;
    }
    if (claim === "cap") {
      ignored.push({ clientId: entry.clientId, why: `over the cap of ${MAX_CLIENT_IDS_PER_CONNECTION} presence ids per connection` });
      continue;
    }
    if (entry.bytes.length > MAX_AWARENESS_STATE_BYTES) {
      ignored.push({ clientId: entry.clientId, why: "state larger than 4 KiB" });
      continue;
    }
    let state: unknown;
    try {
      state = JSON.parse(textDecoder.decode(entry.bytes));
    } catch {
      ignored.push({ clientId: entry.clientId, why: "state is not JSON" });
      continue;
    }
    if (state !== null && (typeof state !== "object" || Array.isArray(state))) {
      ignored.push({ clientId: entry.clientId, why: "state is not an object" });
      continue;
    }
    const rewritten = state === null ? null : { ...(state as Record<string, unknown>), ...identity };
    accepted.push({ clientId: entry.clientId, clock: entry.clock, json: JSON.stringify(rewritten) });
  }
  if (accepted.length === 0) return { update: null, ignored, echoes };
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, accepted.length);
  for (const entry of accepted) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json);
  }
  return { update: encoding.toUint8Array(encoder), ignored, echoes };
}

function decodeEntries(update: Uint8Array): { clientId: number; clock: number; bytes: Uint8Array }[] {
  let count: number;
  const entries = [];
  try {
    const decoder = decoding.createDecoder(update);
    count = decoding.readVarUint(decoder);
    if (count > MAX_AWARENESS_ENTRIES_PER_FRAME) throw new ProtocolError("too many presence entries in one message");
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      // The state's bytes, not yet decoded: most entries are echoes and are never read.
      const bytes = decoding.readVarUint8Array(decoder);
      entries.push({ clientId, clock, bytes });
    }
    if (decoding.hasContent(decoder)) throw new Error("trailing bytes");
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError("malformed awareness update");
  }
  return entries;
}
