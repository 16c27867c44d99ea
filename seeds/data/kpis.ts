// The operational KPIs of the Bury Council and NHS Bury CCG Corporate Plan 2022-23, section 8
// ("Operational Key Performance Indicators (KPIs)"), in the plan's order, per department.
// Wording is the plan's own. Two edits, both PDF-extraction artefacts:
//  - Corporate Core's list repeats four lines across a page break ("Number of rough sleepers in
//    Bury" ... "Number of households in temporary accommodation on last day of the month"); each
//    is kept once.
//  - Children and Young People's last line is cut off after "rated good or outstanding by"; it is
//    completed with "OFSTED", as the line before it reads.
// The plan says these "will be aligned to delivery priorities for reporting" but publishes no
// alignment, so no action is linked to a KPI by the seed: partners link them on each action.

export interface SeedKpi {
  /** Stable id, e.g. "kpi-ops-3". */
  id: string;
  /** Short reference used in CSV files and reports, e.g. "OPS-K3". */
  code: string;
  departmentId: string;
  title: string;
}

const SOURCE = "Bury Council and NHS Bury CCG Corporate Plan 2022-23, section 8";
export const KPI_SOURCE = SOURCE;

const lists: { key: string; code: string; departmentId: string; titles: string[] }[] = [
  {
    key: "bgi",
    code: "BGI",
    departmentId: "business-growth-and-infrastructure",
    titles: [
      "Number of entries on housing waiting list",
      "Total planning applications received",
      "Percentage of planning decisions granted",
      "Annual housing completions",
      "Number of housing units completed in the borough which are affordable",
      "Percentage of housing completions on brownfield land",
      "Number of Job Seekers Allowance (JSA) and Universal Credit (UC) Claimants",
      "Net business growth rate",
    ],
  },
  {
    key: "cyp",
    code: "CYP",
    departmentId: "children-and-young-people",
    titles: [
      "Percentage of children accessing 2-year take up of free childcare",
      "Number of Early Help Assessments by partners",
      "Number of Early Help Assessments by Bury Locality Team",
      "Percentage of Early Help assessments by Partners",
      "Percentage of Early Help assessments by Bury Locality Team",
      "Percentage of EHM Contacts with an outcome of 'start a MASH referral to Early Help Episode'",
      "Expenditure of Disability Schools Grant (DSG)",
      "Percentage of pupils with an EHCP",
      "Number of children with an EHCP",
      "Percentage of EHCP plans issued on time, compliance at 20 weeks",
      "Rate of Permanent School Exclusions",
      "Rate of Fixed Term School Exclusions",
      "% of children defined as ready for school",
      "Percentage of children achieving a good level of development – pupils with Special Educational Needs (SEN)",
      "Average attainment 8 score – pupils with SEN",
      "Percentage of 16-17 years in education, employment or training (EET)",
      "Rate of hospital admissions caused by deliberate or unintentional injuries in children",
      "Percentage of children achieving the expected level in personal-social skills at 2-2.5 years",
      "Percentage of pupils in Good or Better Schools (All Schools)",
      "Percentage of Childminders rated good or outstanding by OFSTED",
      "Percentage of childcare on non-domestic premises rated good or outstanding by OFSTED",
    ],
  },
  {
    key: "core",
    code: "CORE",
    departmentId: "corporate-core-services",
    titles: [
      "Number of births registered",
      "Number of deaths registered",
      "Number of rough sleepers in Bury",
      "Number of rough sleepers currently being supported",
      "Number of statutory homeless cases open on the last day of the month",
      "Number of households in temporary accommodation on last day of the month",
      "Total number of VCFA volunteers (cumulative)",
      "Percentage of residents who feel safe",
      "Rate of all crimes (per 1,000 population)",
      "Staff turnover",
      "Percentage of Freedom of Information Requests (FOIs) completed on time",
      "Percentage Performance and Development Reviews (PDRs) completed",
      "Percentage of Subject Access Requests (SARS) completed on time",
      "Percentage of complaints responded to on time",
      "Contact centre – number of contacts",
      "Web Forms - number of contacts (Firmstep platform only)",
      "Contact Centre - Percentage of forms completed on the web",
      "Agency spend",
      "Sickness absence: average number of days lost per Full Time Equivalent (FTE)",
    ],
  },
  {
    key: "fin",
    code: "FIN",
    departmentId: "finance",
    titles: [
      "Numbers of benefits claimants",
      "Numbers of council tax support",
      "Number of new roles appointed to following restructure.",
      "Number of new roles appointed to internal recruitment.",
      "Number of new roles appointed to following external.",
      "Occupancy rate within the service (permanent or fixed term contract).",
      "Percentage of invoices paid within 10 and 30 days",
      "Percentage Council Tax collected",
      "Percentage Business rates collected",
      "Debtor days above 30 days",
      "Capital slippage",
      "Departmental savings achieved",
    ],
  },
  {
    key: "oco",
    code: "OCO",
    departmentId: "one-commissioning-organisation",
    titles: [
      "7-day average COVID-19 infection rates per 100,000",
      "Number of Bury GP registered people to have received first dose of COVID-19 vaccine (snapshot)",
      "Number of Bury GP registered people to have received second dose of COVID-19 vaccine (snapshot)",
      "Referral to treatment total waiting list entries",
      "Referral to treatment total number waiting in excess of 52 weeks",
      "IAPT waiting times Percentage 6 weeks or less from referral",
      "Patients in Fairfield General Hospital with No Right to Reside on the last day of the month",
      "Number of referrals to Adult Social Care (ASC)",
      "Proportion of completed Adult Social Care (ASC) annual reviews in a rolling 12-month period",
      "IMC (Killelea) Bed Occupancy (Percentage)",
      "Residential and Nursing Care Bed Occupancy (Percentage)",
      "Percentage of 10/11-year olds who are a healthy weight",
      "Under 75 mortality rate from cardiovascular diseases considered preventable",
      "Percentage of physically active adults",
      "Percentage of physically active children and young people",
    ],
  },
  {
    key: "ops",
    code: "OPS",
    departmentId: "operations",
    titles: [
      "Waste collection (tonnes)",
      "Waste collection: grey bins (tonnes)",
      "Waste collection: blue bins (tonnes)",
      "Waste collection: green bins (tonnes)",
      "Number of missed bin collections per 100,000",
      "Proportion of household waste recycled",
      "Waste collection (tonnes) from street cleaning",
      "Number of potholes reported",
      "Number of potholes repaired",
      "Highway repairs completed on time (Percentage)",
      "Average time taken to repair street lighting",
      "Number of high and medium food standards inspections completed",
    ],
  },
];

export const kpis: SeedKpi[] = lists.flatMap((list) =>
  list.titles.map((title, i) => ({
    id: `kpi-${list.key}-${i + 1}`,
    code: `${list.code}-K${i + 1}`,
    departmentId: list.departmentId,
    title,
  })),
);

/** End of each 2022-23 quarter: the due date of a deliverable the Corporate Plan places in it. */
export const QUARTER_END_2022_23: Record<"Q1" | "Q2" | "Q3" | "Q4", string> = {
  Q1: "2022-06-30",
  Q2: "2022-09-30",
  Q3: "2022-12-31",
  Q4: "2023-03-31",
};
