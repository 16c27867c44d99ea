import { describe, expect, it } from "vitest";
import { parseActionsCsv, protectCell, unprotectCell, type ImportLookups } from "../../server/accountability/csv";

const lookups: ImportLookups = {
  priorities: new Map([
    ["bgi-1", { id: "p-bgi-1", code: "BGI-1" }],
    ["ops-2", { id: "p-ops-2", code: "OPS-2" }],
  ]),
  organisations: [
    { id: "bury-council", name: "Bury Council", short_name: "Bury Council" },
    { id: "nhs-bury-ccg", name: "NHS Bury CCG", short_name: "NHS Bury CCG" },
    { id: "bury-vcf-alliance", name: "Bury VCF Alliance", short_name: "VCF Alliance" },
  ],
  kpis: [{ id: "kpi-ops-9", code: "OPS-K9" }],
  recommendations: [{ id: "cpc-2021-2-6", code: "2.6" }],
  existingIds: new Set(["act-existing"]),
  existingTitles: new Set(["p-bgi-1|market hall opens|"]),
  actorOrganisationId: "bury-council",
  actorIsFacilitator: false,
};

const HEADER = "Priority code,Action,Description,Lead partner,Supporting partners,Due,Milestones,KPIs,Recommendations\n";

describe("checking a CSV of actions before importing it", () => {
  it("reads a clean file, with multi-line cells, short names and codes", () => {
    const csv =
      HEADER +
      `OPS-2,Community energy company,"First paragraph.\n\nSecond paragraph.",Bury Council,"NHS Bury CCG; VCF Alliance",Q4 2022-23,"2022-12-31 Business case [done 2022-12-20]\n2023-03-31 Company set up",ops-k9,2.6\n` +
      `bgi-1,Traders consulted,,,,,,,\n`;
    const result = parseActionsCsv(csv, lookups);
    expect(result).toEqual({
      ok: true,
      actions: [
        {
          line: 2,
          priorityId: "p-ops-2",
          title: "Community energy company",
          paragraphs: ["First paragraph.", "Second paragraph."],
          leadOrganisationId: "bury-council",
          supportingOrganisationIds: ["nhs-bury-ccg", "bury-vcf-alliance"],
          dueLabel: "Q4 2022-23",
          milestones: [
            { title: "Business case", dueDate: "2022-12-31", completedOn: "2022-12-20" },
            { title: "Company set up", dueDate: "2023-03-31", completedOn: null },
          ],
          kpiIds: ["kpi-ops-9"],
          recommendationIds: ["cpc-2021-2-6"],
        },
        // Starts on line 6: the row above spans lines 2-5.
        expect.objectContaining({ line: 6, priorityId: "p-bgi-1", title: "Traders consulted", leadOrganisationId: null, milestones: [] }),
      ],
    });
  });

  it("names every bad row by the line it starts on, with every reason, and accepts nothing", () => {
    const csv =
      HEADER +
      `OPS-2,"A good row with a\nline break in its title cell",,Bury Council,,,,,\n` + // lines 2-3
      `OPS-2,Food network pilot,,Bury Foodbank,,,,,\n` + // line 4: unknown organisation
      `OPS-2,,Missing title,Bury Council,,,,,\n` + // line 5: no title
      `BGI-1,Flexi hall open,,Bury Council,,,2022-02-30 Opening,,\n` + // line 6: not a real date
      `BGI-1,Flexi hall closed,,Bury Council,,,30/09/2022 Closing,,\n` + // line 7: wrong format
      `XYZ-9,Unknown priority,,Bury Council,Nobody Ltd,,,OPS-K99,9.9\n` + // line 8: several reasons
      `BGI-1,Market hall opens,,,,,,,\n` + // line 9: already in the plan
      `BGI-1,Done by someone else,,NHS Bury CCG,,,2022-06-30 Step [done 2022-06-29],,\n`; // line 10: done claim by a non-owner
    const result = parseActionsCsv(csv, lookups);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.line)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    const at = (line: number) => result.problems.find((p) => p.line === line)!.reasons.join(" | ");
    expect(at(4)).toMatch(/Unknown organisation “Bury Foodbank” in “Lead partner”/);
    expect(at(5)).toMatch(/no title/);
    expect(at(6)).toMatch(/2022-02-30 is not a real date/);
    expect(at(7)).toMatch(/start each milestone line with its due date as YYYY-MM-DD/);
    expect(result.problems.find((p) => p.line === 8)!.reasons).toHaveLength(4);
    expect(at(8)).toMatch(/Priority “XYZ-9” is not one of this plan's priorities/);
    expect(at(8)).toMatch(/Unknown organisation “Nobody Ltd”/);
    expect(at(8)).toMatch(/Unknown KPI “OPS-K99”/);
    expect(at(8)).toMatch(/Unknown recommendation “9.9”/);
    expect(at(9)).toMatch(/already in the plan/);
    expect(at(10)).toMatch(/only the owning partner or a facilitator/);
  });

  it("refuses a file without the required columns, or with a row repeated", () => {
    const noHeader = parseActionsCsv("Title,Lead\nSomething,Bury Council\n", lookups);
    expect(noHeader).toMatchObject({ ok: false, problems: [{ line: 1, reasons: [expect.stringMatching(/“Priority code” and “Action”/)] }] });
    const twice = parseActionsCsv(HEADER + "OPS-2,Same action,,,,Q3,,,\nOPS-2,Same Action,,,,q3,,,\n", lookups);
    expect(twice).toMatchObject({ ok: false, problems: [{ line: 3, reasons: [expect.stringMatching(/already on line 2/)] }] });
    // The same title due in another quarter is another action.
    expect(parseActionsCsv(HEADER + "OPS-2,Same action,,,,Q3,,,\nOPS-2,Same action,,,,Q4,,,\n", lookups).ok).toBe(true);
  });

  it("explains a file that is not CSV at all", () => {
    const result = parseActionsCsv(HEADER + 'OPS-2,"unterminated,,,\n', lookups);
    expect(result).toMatchObject({ ok: false, problems: [{ reasons: [expect.stringMatching(/not valid CSV/)] }] });
  });
});

describe("cells a spreadsheet would run as formulas", () => {
  it("are exported as text and read back unchanged", () => {
    for (const value of ["=HYPERLINK(\"http://evil\")", "+44 161 253 5000", "-5% agency spend", "@risk register", "Plain title"]) {
      const exported = protectCell(value);
      if (value !== "Plain title") expect(exported.startsWith("'")).toBe(true);
      expect(unprotectCell(exported)).toBe(value);
    }
    expect(unprotectCell("'Quoted on purpose")).toBe("'Quoted on purpose");
    const result = parseActionsCsv(HEADER + "OPS-2,'=1+1 is not a formula,,,,,,,\n", lookups);
    expect(result).toMatchObject({ ok: true, actions: [{ title: "=1+1 is not a formula" }] });
  });
});
