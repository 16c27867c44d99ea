/**
 * Scripted workshop clients for tests and the benchmark: the same HTTP forms and event stream a
 * browser uses, with a signed-in cookie or a guest's.
 */
import { postForm } from "./app-server";

export interface SnapshotJson {
  serverNow: number;
  role: string;
  participantId: number | null;
  snapshot: {
    version: number;
    control: {
      status: string;
      currentItemId: number | null;
      timer: { totalMs: number; remainingMs: number; startedAt: number | null };
      planLocked: boolean;
    };
    agenda: { id: number; position: number; title: string; kind: string; minutes: number; priorityId: string | null }[];
    boards: { itemId: number; ideas: { id: number; text: string; participantId: number; groupId: number | null; merged: { id: number; text: string }[]; captured: { actionId: string; title: string } | null }[]; groups: { id: number; label: string }[] }[];
    votes: { id: number; itemId: number; status: string; revealed: boolean; allowance: number; options: { id: number; label: string }[]; dotsCast: number; voters: number; results: { optionId: number; label: string; count: number; rank: number }[] | null }[];
    decisions: { id: number; itemId: number | null; text: string; action: { id: string; title: string; lead: { organisationName: string; status: string } | null } | null }[];
    participants: { id: number; name: string; organisation: string | null; kind: string; online: boolean }[];
    mine: { participantId: number | null; dots: Record<string, Record<string, number>> };
  };
}

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&#39;": "'" };

/** The message a form post got back (the page shows it in an alert or status box). */
export function messageIn(html: string): string {
  const m = /class="notice notice--(?:error|success)" role="(?:alert|status)">([^<]*)</.exec(html);
  return m ? m[1]!.replace(/&[#\w]+;/g, (e) => ENTITIES[e] ?? e) : "";
}

/**
 * Posts one workshop action the way the page's forms do (Remix's single-fetch action request),
 * and returns the HTTP status and the message a person would see.
 */
export async function intent(baseUrl: string, workshopId: string, cookie: string, fields: Record<string, string | number>) {
  const res = await fetch(`${baseUrl}/workshops/${workshopId}.data`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: new URL(baseUrl).origin },
    body: new URLSearchParams(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]))),
    redirect: "manual",
  });
  const text = await res.text();
  let message = "";
  try {
    // A flat turbo-stream array: [..., "message", "<text>"] or [..., "error", "<text>"].
    const values = JSON.parse(text.split("\n")[0]!) as unknown[];
    const at = values.findIndex((v) => v === "message" || v === "error");
    if (at >= 0 && typeof values[at + 1] === "string") message = values[at + 1] as string;
  } catch {
    message = text.slice(0, 200);
  }
  return { status: res.status, message };
}

/** The same action as an ordinary form post (a browser without JavaScript): full page back. */
export async function formPost(baseUrl: string, workshopId: string, cookie: string, fields: Record<string, string | number>) {
  const res = await postForm(baseUrl, `/workshops/${workshopId}`, cookie, Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])));
  return { status: res.status, message: messageIn(res.text), html: res.text };
}

export async function readState(baseUrl: string, workshopId: string, cookie: string): Promise<SnapshotJson> {
  const res = await fetch(`${baseUrl}/workshops/${workshopId}/state`, { headers: { Cookie: cookie } });
  if (res.status !== 200) throw new Error(`state: ${res.status} ${await res.text()}`);
  return (await res.json()) as SnapshotJson;
}

/** Creates a workshop through the real form; returns its id. */
export async function createWorkshop(
  baseUrl: string,
  cookie: string,
  opts: { planId: string; title: string; scheduledFor?: string; invite?: string[]; agendaFromPlan?: boolean },
): Promise<string> {
  const body = new URLSearchParams({ planId: opts.planId, title: opts.title, scheduledFor: opts.scheduledFor ?? "2026-12-10T14:00" });
  if (opts.agendaFromPlan !== false) body.set("agendaFromPlan", "on");
  for (const o of opts.invite ?? []) body.append("organisationId", o);
  const res = await fetch(`${baseUrl}/workshops/new?plan=${encodeURIComponent(opts.planId)}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: new URL(baseUrl).origin },
    body,
    redirect: "manual",
  });
  const location = res.headers.get("location") ?? "";
  const m = /\/workshops\/(wsh-[\w-]+)/.exec(location);
  if (res.status !== 302 || !m) throw new Error(`create workshop: ${res.status} ${await res.text()}`);
  return m[1]!;
}

/** The guest code, as the facilitator sees it on the workshop page. */
export async function guestCodeOf(baseUrl: string, workshopId: string, facilitatorCookie: string): Promise<string> {
  const html = await (await fetch(`${baseUrl}/workshops/${workshopId}`, { headers: { Cookie: facilitatorCookie } })).text();
  const m = /data-testid="guest-code">([A-Z0-9-]+)</.exec(html);
  if (!m) throw new Error("no guest code on the facilitator's page");
  return m[1]!;
}

let nextGuestAddress = 1;

/** Joins as a guest; returns the guest cookie (or the refusal). */
export async function joinAsGuest(
  baseUrl: string,
  code: string,
  displayName: string,
  address = `198.51.100.${nextGuestAddress++ % 250}`,
): Promise<{ status: number; cookie: string | null; location: string | null; message: string }> {
  const res = await fetch(`${baseUrl}/join`, {
    method: "POST",
    headers: { "X-Forwarded-For": address, Origin: new URL(baseUrl).origin },
    body: new URLSearchParams({ code, displayName }),
    redirect: "manual",
  });
  const setCookie = res.headers.get("set-cookie");
  const text = res.status === 302 ? "" : await res.text();
  const m = /role="alert"[^>]*>\s*<h2[^>]*>[^<]*<\/h2>\s*<p>([^<]*)</.exec(text);
  return {
    status: res.status,
    cookie: setCookie ? setCookie.split(";")[0]! : null,
    location: res.headers.get("location"),
    message: m ? m[1]!.replace(/&[#\w]+;/g, (e) => ENTITIES[e] ?? e) : "",
  };
}

export interface SseEvent {
  event: string;
  data: any;
  receivedAt: number;
}

/** A Server-Sent Events client over fetch, as EventSource would be, with the cookie it is given. */
export class EventStream {
  events: SseEvent[] = [];
  status = 0;
  ended = false;
  private controller = new AbortController();
  private waiters = new Set<() => void>();
  private listeners = new Set<(e: SseEvent) => void>();
  readonly ready: Promise<void>;

  constructor(baseUrl: string, workshopId: string, cookie: string) {
    this.ready = this.run(`${baseUrl}/workshops/${workshopId}/events`, cookie);
  }

  onEvent(listener: (e: SseEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async run(url: string, cookie: string): Promise<void> {
    const res = await fetch(url, { headers: { Cookie: cookie, Accept: "text/event-stream" }, signal: this.controller.signal });
    this.status = res.status;
    if (res.status !== 200 || !res.body) {
      this.ended = true;
      return;
    }
    void this.pump(res.body);
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = "message";
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("event: ")) event = line.slice(7);
            else if (line.startsWith("data: ")) data.push(line.slice(6));
          }
          if (!data.length) continue;
          const e = { event, data: JSON.parse(data.join("\n")), receivedAt: performance.now() + performance.timeOrigin };
          this.events.push(e);
          for (const l of this.listeners) l(e);
          for (const w of [...this.waiters]) w();
        }
      }
    } catch {
      /* aborted or the server went away */
    }
    this.ended = true;
    for (const w of [...this.waiters]) w();
  }

  /** Resolves with the first event (already received or future) that matches. */
  waitFor(match: (e: SseEvent) => boolean, timeoutMs = 10_000): Promise<SseEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.find(match);
        if (found) {
          cleanup();
          resolve(found);
        } else if (this.ended) {
          cleanup();
          reject(new Error(`stream ended (status ${this.status}) before a matching event; saw ${this.events.map((e) => e.event).join(", ")}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching event within ${timeoutMs} ms; saw ${this.events.map((e) => e.event).join(", ")}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves when the server ends the stream. */
  waitForEnd(timeoutMs = 10_000): Promise<void> {
    return this.waitFor(() => false, timeoutMs).then(
      () => undefined,
      (err: Error) => {
        if (this.ended) return;
        throw err;
      },
    );
  }

  close(): void {
    this.controller.abort();
  }
}
