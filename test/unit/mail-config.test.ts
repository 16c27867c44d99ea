import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config";

const env = (vars: Record<string, string> = {}): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...vars });

describe("mail settings, validated at start-up", () => {
  it("without SMTP_URL, nothing is delivered and links use the request's origin unless APP_ORIGIN or PUBLIC_ORIGINS say otherwise", () => {
    expect(loadConfig(env()).mail).toMatchObject({ smtpUrl: "", appOrigin: null });
    expect(loadConfig(env({ PUBLIC_ORIGINS: "https://codesign.bury.example" })).mail.appOrigin).toBe("https://codesign.bury.example");
    expect(loadConfig(env({ APP_ORIGIN: "https://codesign.bury.example/" })).mail.appOrigin).toBe("https://codesign.bury.example");
  });

  it("with SMTP_URL, MAIL_FROM and an origin for links are required", () => {
    expect(() => loadConfig(env({ SMTP_URL: "smtp://relay.bury.example:587", APP_ORIGIN: "https://c.example" }))).toThrow(/MAIL_FROM/);
    expect(() => loadConfig(env({ SMTP_URL: "smtp://relay.bury.example:587", MAIL_FROM: "a@bury.example" }))).toThrow(/APP_ORIGIN/);
    const ok = loadConfig(
      env({ SMTP_URL: "smtps://user:pw@relay.bury.example:465", MAIL_FROM: "Co-design <codesign@bury.example>", APP_ORIGIN: "https://c.example" }),
    );
    expect(ok.mail).toMatchObject({ smtpUrl: "smtps://user:pw@relay.bury.example:465", from: "Co-design <codesign@bury.example>" });
  });

  it("refuses values that are not a mail server, an address or an origin, naming the variable", () => {
    expect(() => loadConfig(env({ SMTP_URL: "relay.bury.example" }))).toThrow(/SMTP_URL/);
    expect(() => loadConfig(env({ MAIL_FROM: "not an address" }))).toThrow(/MAIL_FROM/);
    expect(() => loadConfig(env({ APP_ORIGIN: "codesign" }))).toThrow(/APP_ORIGIN/);
    expect(() => loadConfig(env({ MAIL_RETRY_BASE_MS: "5000", MAIL_RETRY_MAX_MS: "100" }))).toThrow(/MAIL_RETRY_MAX_MS/);
  });
});
