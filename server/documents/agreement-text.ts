/**
 * What exactly partners agree to: a canonical form of a subject's words, its fingerprint, and a
 * word-level comparison between two versions. Pure functions, used by the server and the tests.
 */
import { createHash } from "node:crypto";
import { diffWords } from "diff";

export interface AgreementText {
  title: string;
  paragraphs: string[];
}

/**
 * Words, not layout: Unicode NFC, every run of white space (spaces, tabs, line breaks inside a
 * paragraph) becomes one space, paragraphs are trimmed and empty ones dropped. So an extra space
 * or a blank line does not re-open an agreement, while any change of a word or of where a
 * paragraph breaks does.
 */
export function canonicalText(text: AgreementText): AgreementText {
  const clean = (s: string) => s.normalize("NFC").replace(/\s+/gu, " ").trim();
  return { title: clean(text.title), paragraphs: text.paragraphs.map(clean).filter((p) => p.length > 0) };
}

const FINGERPRINT_VERSION = "codesign-agreement-v1";

/** sha256 (hex) of the canonical text; the version tag lets the canonical form change later. */
export function fingerprintOf(text: AgreementText): string {
  const canonical = canonicalText(text);
  return createHash("sha256")
    .update(JSON.stringify([FINGERPRINT_VERSION, canonical.title, ...canonical.paragraphs]))
    .digest("hex");
}

/** The first 8 hex digits: enough for a person to compare two versions by eye. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 8);
}

export interface WordChange {
  value: string;
  /** "same" text is in both; "removed" only in the older version; "added" only in the newer. */
  kind: "same" | "added" | "removed";
}

/**
 * Word-level comparison (the `diff` package's diffWords) of the canonical texts, paragraphs
 * separated by a blank line so a moved paragraph break shows as such.
 */
export function compareWords(before: AgreementText, after: AgreementText): { title: WordChange[]; body: WordChange[] } {
  const a = canonicalText(before);
  const b = canonicalText(after);
  const toChanges = (parts: ReturnType<typeof diffWords>): WordChange[] =>
    parts.map((p) => ({ value: p.value, kind: p.added ? "added" : p.removed ? "removed" : "same" }));
  return {
    title: toChanges(diffWords(a.title, b.title)),
    body: toChanges(diffWords(a.paragraphs.join("\n\n"), b.paragraphs.join("\n\n"))),
  };
}
