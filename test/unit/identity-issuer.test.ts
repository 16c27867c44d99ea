import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config";
import { checkEmailDomains, checkIssuer } from "../../server/identity/issuer";

const TENANT = "3f6d2c1a-7b8e-4c9d-a0b1-c2d3e4f5a6b7";

describe("which OpenID issuers an organisation may configure", () => {
  it("accepts a tenant's own Entra issuer and takes its tenant id for the tid check", () => {
    const r = checkIssuer(`https://login.microsoftonline.com/${TENANT.toUpperCase()}/v2.0/`, { allowHttpLoopback: false });
    expect(r).toEqual({ ok: true, issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`, entra: true, tenantId: TENANT });
  });

  it.each(["common", "organizations", "consumers"])("refuses Entra's multi-tenant %s endpoint", (tenant) => {
    const r = checkIssuer(`https://login.microsoftonline.com/${tenant}/v2.0`, { allowHttpLoopback: true });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain("any Microsoft tenant");
  });

  it("refuses an Entra v1 issuer, a domain-name tenant and a tenant id that contradicts the issuer", () => {
    expect(checkIssuer(`https://login.microsoftonline.com/${TENANT}`, { allowHttpLoopback: false }).ok).toBe(false);
    expect(checkIssuer("https://login.microsoftonline.com/bury.onmicrosoft.com/v2.0", { allowHttpLoopback: false }).ok).toBe(false);
    const r = checkIssuer(`https://login.microsoftonline.com/${TENANT}/v2.0`, { allowHttpLoopback: false, tenantId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d" });
    expect(!r.ok && r.message).toContain("does not match");
  });

  it("requires https, except http on loopback when tests allow it", () => {
    expect(checkIssuer("http://127.0.0.1:4000", { allowHttpLoopback: false }).ok).toBe(false);
    expect(checkIssuer("http://idp.example.org", { allowHttpLoopback: true }).ok).toBe(false);
    expect(checkIssuer("http://127.0.0.1:4000", { allowHttpLoopback: true })).toMatchObject({ ok: true, issuer: "http://127.0.0.1:4000", entra: false });
    expect(checkIssuer("https://idp.example.org/?x=1", { allowHttpLoopback: false }).ok).toBe(false);
  });

  it("reads email domains separated by commas or spaces, and refuses what is not a domain", () => {
    expect(checkEmailDomains(" Bury.gov.uk, @burycouncil.onmicrosoft.com bury.gov.uk")).toEqual({ ok: true, domains: ["bury.gov.uk", "burycouncil.onmicrosoft.com"] });
    expect(checkEmailDomains("").ok).toBe(false);
    expect(checkEmailDomains("bury.gov.uk, not a domain!").ok).toBe(false);
  });

  it("refuses OIDC_ALLOW_HTTP_LOOPBACK on a real deployment", () => {
    expect(() => loadConfig({ NODE_ENV: "test", PUBLIC_ORIGINS: "https://codesign.example.org", OIDC_ALLOW_HTTP_LOOPBACK: "true" })).toThrow(/OIDC_ALLOW_HTTP_LOOPBACK/);
    expect(loadConfig({ NODE_ENV: "test", OIDC_ALLOW_HTTP_LOOPBACK: "true" }).oidcAllowHttpLoopback).toBe(true);
    expect(loadConfig({ NODE_ENV: "test" }).oidcAllowHttpLoopback).toBe(false);
  });
});
