import net from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string[];
  raw: string;
  messageId: string;
  subject: string;
  /** The decoded text/plain part. */
  text: string;
  /** The decoded text/html part. */
  html: string;
}

/**
 * A real SMTP server in the test process (smtp-server): plain SMTP on 127.0.0.1, no TLS or auth,
 * so nodemailer speaks to it as to a council's relay. `rejectRecipients` answers 550 for matching
 * addresses, as a server with no such mailbox would.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /**
   * While true, a message's data is read to its end and never answered: the sender waits for a
   * "250 OK" that does not come, as with a relay that hangs mid-delivery. Nothing is recorded.
   */
  stallData = false;
  /** Messages read while stallData was on (never accepted). */
  stalled = 0;
  private server: SMTPServer | null = null;

  constructor(
    public port: number,
    private readonly rejectRecipients: RegExp | null = null,
  ) {}

  static async freePort(): Promise<number> {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    return port;
  }

  static async start(opts: { port?: number; rejectRecipients?: RegExp } = {}): Promise<SmtpSink> {
    const sink = new SmtpSink(opts.port ?? (await SmtpSink.freePort()), opts.rejectRecipients ?? null);
    await sink.listen();
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onRcptTo: (address, _session, cb) => {
        if (this.rejectRecipients?.test(address.address)) {
          cb(Object.assign(new Error("No such mailbox here"), { responseCode: 550 }));
          return;
        }
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          if (this.stallData) {
            this.stalled++;
            return;
          }
          const raw = Buffer.concat(chunks).toString("utf8");
          this.messages.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            messageId: header(raw, "message-id"),
            subject: header(raw, "subject"),
            text: part(raw, "text/plain"),
            html: part(raw, "text/html"),
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
  }

  /** Really down: the port refuses connections until listen() is called again. */
  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  async waitFor(pred: (m: ReceivedMail[]) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!pred(this.messages)) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what} (received ${this.messages.length})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address));
  }
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? "";
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name}:`));
  return line ? line.slice(name.length + 1).trim() : "";
}

/** The body of the first MIME part of this type, with its transfer encoding undone. */
function part(raw: string, type: string): string {
  const sections = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  for (const s of sections) {
    const [head, ...rest] = s.split(/\r?\n\r?\n/);
    if (!head || !new RegExp(`content-type:\\s*${type}`, "i").test(head)) continue;
    const body = rest.join("\n\n").replace(/\r?\n--[^\r\n]+--\s*$/, "");
    if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
      return Buffer.from(
        body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
        "latin1",
      ).toString("utf8");
    }
    if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    return body;
  }
  return "";
}
