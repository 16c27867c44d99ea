/**
 * Every email in two parts: plain text, and simple HTML that a screen reader reads in order (a
 * language, a title, one heading, paragraphs, a link whose words say where it goes; no images, no
 * layout tables). One layout, so each message only says its words.
 */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

interface EmailParts {
  subject: string;
  heading: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Groups under their own heading (a digest's plans), each item a sentence with its link. */
  sections?: { heading: string; items: { text: string; url: string }[] }[];
  after?: string[];
  /** Why the person gets this and how to stop it: a real link in the HTML part. */
  footer?: { text: string; link: { label: string; url: string } }[];
}

const SIGN_OFF = "Co-design Workspace, for the Team Bury partnership";

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function renderEmail(p: EmailParts): EmailContent {
  const text = [
    p.heading,
    "",
    ...p.paragraphs.flatMap((x) => [x, ""]),
    ...(p.action ? [`${p.action.label}:`, p.action.url, ""] : []),
    ...(p.sections ?? []).flatMap((sec) => [`${sec.heading}:`, "", ...sec.items.flatMap((i) => [`- ${i.text}`, `  ${i.url}`]), ""]),
    ...(p.after ?? []).flatMap((x) => [x, ""]),
    SIGN_OFF,
    "",
    ...(p.footer ?? []).flatMap((f) => [`${f.text} ${f.link.label}: ${f.link.url}`, ""]),
  ].join("\n");
  const para = (x: string) => `<p style="margin:0 0 16px">${escapeHtml(x)}</p>`;
  const html = `<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(p.subject)}</title></head>
<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:19px;line-height:1.5;color:#0b0c0c;background:#ffffff">
<main>
<h1 style="font-size:27px;margin:0 0 20px">${escapeHtml(p.heading)}</h1>
${p.paragraphs.map(para).join("\n")}
${p.action ? `<p style="margin:0 0 16px"><a href="${escapeHtml(p.action.url)}" style="color:#1d70b8;font-weight:bold">${escapeHtml(p.action.label)}</a></p>\n<p style="margin:0 0 16px">If the link does not work, copy this address into your browser: ${escapeHtml(p.action.url)}</p>` : ""}
${(p.sections ?? [])
  .map(
    (sec) =>
      `<h2 style="font-size:22px;margin:24px 0 12px">${escapeHtml(sec.heading)}</h2>\n<ul style="margin:0 0 16px;padding-left:24px">\n${sec.items.map((i) => `<li style="margin:0 0 12px"><a href="${escapeHtml(i.url)}" style="color:#1d70b8">${escapeHtml(i.text)}</a></li>`).join("\n")}\n</ul>`,
  )
  .join("\n")}
${(p.after ?? []).map(para).join("\n")}
<p style="margin:24px 0 0;color:#505a5f">${escapeHtml(SIGN_OFF)}</p>
</main>
${(p.footer ?? []).length ? `<footer style="margin:24px 0 0;font-size:16px;color:#505a5f">\n${(p.footer ?? []).map((f) => `<p style="margin:0 0 8px">${escapeHtml(f.text)} <a href="${escapeHtml(f.link.url)}" style="color:#1d70b8">${escapeHtml(f.link.label)}</a></p>`).join("\n")}\n</footer>` : ""}
</body>
</html>
`;
  return { subject: p.subject, text, html };
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });
const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "numeric", minute: "2-digit", hour12: true, timeZone: "Europe/London" });

export function invitationEmail(p: {
  name: string;
  inviterName: string;
  organisationName: string;
  roleLabel: string;
  link: string;
  expiresAt: Date;
}): EmailContent {
  return renderEmail({
    subject: "You have been invited to the Co-design Workspace",
    heading: `${p.name}, you have been invited to the Co-design Workspace`,
    paragraphs: [
      `${p.inviterName} has invited you to join the Co-design Workspace as a ${p.roleLabel} for ${p.organisationName}.`,
      "The workspace is where Team Bury partners write their action plans together.",
      "To accept, choose your own password using the link below. You will then be signed in.",
    ],
    action: { label: "Choose your password and sign in", url: p.link },
    after: [
      `The link works once, until ${dateFormat.format(p.expiresAt)}. If it has run out, ask ${p.inviterName} to invite you again.`,
      "If you were not expecting this email, you can ignore it. Nobody can use your invitation without this link.",
    ],
  });
}

export function passwordResetEmail(p: { name: string; link: string; expiresAt: Date }): EmailContent {
  return renderEmail({
    subject: "Reset your Co-design Workspace password",
    heading: "Reset your password",
    paragraphs: [`${p.name}, someone (we hope you) asked to reset the password for your Co-design Workspace account.`],
    action: { label: "Choose a new password", url: p.link },
    after: [
      `The link works once, for one hour: until ${timeFormat.format(p.expiresAt)} on ${dateFormat.format(p.expiresAt)}.`,
      "If you did not ask for this, you can ignore this email: your password has not changed.",
    ],
  });
}

/** The links every notification email ends with: why it came, and how to stop it in one click. */
export interface NotificationFooter {
  accountUrl: string;
  unsubscribeUrl: string;
  /** "emails like this one" or "these daily summaries" */
  stopWhat: string;
}

function footerOf(f: NotificationFooter): EmailParts["footer"] {
  return [
    { text: "You get this email because you have an account on the Co-design Workspace.", link: { label: "Choose which emails you get", url: f.accountUrl } },
    { text: `To stop ${f.stopWhat}, no sign-in needed:`, link: { label: "Unsubscribe", url: f.unsubscribeUrl } },
  ];
}

/** One notification sent at once: what happened, where, and a link to act on it. */
export function notificationEmail(p: {
  name: string;
  heading: string;
  summary: string;
  planTitle: string;
  link: string;
  actionLabel: string;
  footer: NotificationFooter;
}): EmailContent {
  return renderEmail({
    subject: p.heading,
    heading: p.heading,
    paragraphs: [`${p.name},`, p.summary, `This is about ${p.planTitle}.`],
    action: { label: p.actionLabel, url: p.link },
    after: ["You can also see everything waiting for you on your dashboard, under Waiting for you."],
    footer: footerOf(p.footer),
  });
}

/** The daily summary: everything new since the last one, grouped by plan. */
export function digestEmail(p: {
  name: string;
  plans: { title: string; items: { text: string; url: string }[] }[];
  dashboardUrl: string;
  footer: NotificationFooter;
}): EmailContent {
  const count = p.plans.reduce((n, x) => n + x.items.length, 0);
  return renderEmail({
    subject: `Your daily summary from the Co-design Workspace: ${count} new ${count === 1 ? "item" : "items"}`,
    heading: "What is new for you in the Co-design Workspace",
    paragraphs: [`${p.name}, here is what happened since your last summary, plan by plan.`],
    sections: p.plans.map((x) => ({ heading: x.title, items: x.items })),
    action: undefined,
    after: [`Everything waiting for you is also on your dashboard: ${p.dashboardUrl}`],
    footer: footerOf(p.footer),
  });
}
