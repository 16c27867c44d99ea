/**
 * The one place nodemailer is touched: SMTP_URL becomes a transport with timeouts short enough
 * that a mail server that stopped answering is noticed (and retried) instead of holding the sender.
 */
import nodemailer from "nodemailer";

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers?: Record<string, string>;
}

export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function smtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(m) {
      await transporter.sendMail({ from: m.from, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId, headers: m.headers });
    },
    close() {
      transporter.close();
    },
  };
}

/**
 * A refusal that sending again will not change (5xx: no such mailbox, relaying denied; an address
 * nodemailer cannot use). Everything else (connection refused, timeouts, 4xx) is worth a retry.
 */
export function isPermanentMailError(err: unknown): boolean {
  const e = err as { responseCode?: number; code?: string };
  if (typeof e?.responseCode === "number") return e.responseCode >= 500 && e.responseCode < 600;
  return e?.code === "EENVELOPE";
}
