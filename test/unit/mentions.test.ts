import { describe, expect, it } from "vitest";
import { parseMentions } from "../../server/domain/mentions";

const ORGS = [
  { id: "bury-council", name: "Bury Council", short_name: "Bury Council" },
  { id: "vcf", name: "Bury Voluntary, Community and Faith Alliance", short_name: "VCF Alliance" },
  { id: "food", name: "Radcliffe Community Food Network", short_name: "Radcliffe Food Network" },
  { id: "business", name: "Bury Business Leader's Group", short_name: "Business Leader's Group" },
  { id: "bury", name: "Bury", short_name: "Bury" },
];

describe("parseMentions", () => {
  it("finds organisations by full or short name, case-insensitively, longest name first", () => {
    expect(parseMentions("Could @VCF Alliance and @bury council host this?", ORGS)).toEqual({
      organisationIds: ["vcf", "bury-council"],
      unknown: [],
    });
    expect(parseMentions("@Radcliffe Community Food Network, please look", ORGS).organisationIds).toEqual(["food"]);
    expect(parseMentions("(@Bury Business Leader's Group)", ORGS).organisationIds).toEqual(["business"]);
    expect(parseMentions("Thanks @Bury!", ORGS).organisationIds).toEqual(["bury"]);
  });

  it("counts each organisation once", () => {
    expect(parseMentions("@VCF Alliance and again @VCF Alliance", ORGS).organisationIds).toEqual(["vcf"]);
  });

  it("ignores e-mail addresses, a lone @, and names that continue into a longer word", () => {
    expect(parseMentions("write to tom@radcliffe.example at 3 @ the hall", ORGS)).toEqual({ organisationIds: [], unknown: [] });
    expect(parseMentions("@Buryside residents", ORGS)).toEqual({ organisationIds: [], unknown: ["Buryside"] });
  });

  it("reports what followed an @ that names no organisation", () => {
    expect(parseMentions("Ask @Nowhere Trust about it, and @VCF Alliance", ORGS)).toEqual({
      organisationIds: ["vcf"],
      unknown: ["Nowhere Trust"],
    });
  });
});
