// Demo delivery record of the 2022-23 plans (issue 16), so a report as at any date after the
// year shows the few actions that slipped rather than every action as overdue. The Corporate Plan
// gives the deliverables and their quarters; it does not say which were delivered, so this is
// demonstration data: most deliverables done in their quarter, six slipped with the reasons and
// mitigation an owner would report (the shape of the peer challenge follow-ups, source 003).
// Links say which recommendations and KPIs each action answers (sources 000, 001 and 002).

/** Left exactly as the Corporate Plan states them (open, no update): tests and demos start from them. */
export const UNTOUCHED = new Set([
  "act-p-bgi-1-1",
  "act-p-bgi-1-2",
  "act-p-bgi-1-3",
  "act-p-bgi-1-4",
  "act-p-bgi-2-1",
  "act-p-bgi-4-1",
  "act-p-bgi-13-4",
  "act-p-core-1-2",
  "act-p-fin-3-1",
  "act-p-ops-2-1",
  "act-p-ops-5-1",
  "act-p-ops-5-2",
]);

/** Days before the quarter end each done deliverable was reported complete (varied, deterministic). */
export const DONE_DAYS_EARLY = [3, 9, 0, 14, 6, 21, 1, 11];

export interface SlippedAction {
  actionId: string;
  status: "at_risk" | "off_track";
  reportedOn: string;
  narrative: string;
  mitigation: string;
}

export const slipped: SlippedAction[] = [
  {
    actionId: "act-p-bgi-2-4",
    status: "off_track",
    reportedOn: "2023-03-20",
    narrative: "Soft strip of the South Block found asbestos in the ceiling voids; demolition cannot start until it is removed.",
    mitigation: "Licensed removal contractor appointed; revised demolition programme to Cabinet in June 2023, within the Levelling Up funding window.",
  },
  {
    actionId: "act-p-ops-2-6",
    status: "at_risk",
    reportedOn: "2023-03-15",
    narrative: "The community energy company's business case is complete, but two of the three community share offers have not reached their minimum.",
    mitigation: "The VCF Alliance is running share-offer events in each neighbourhood; the board decides in Q1 2023-24 whether to launch with one site.",
  },
  {
    actionId: "act-p-bgi-12-6",
    status: "off_track",
    reportedOn: "2023-02-28",
    narrative: "The sale of William Kemp Heaton is paused: the site's title has a restrictive covenant that was not known when the programme was set.",
    mitigation: "Legal advice on releasing the covenant is due in April 2023; the receipt has been moved to the 2023-24 disposal programme.",
  },
  {
    actionId: "act-p-cyp-11-4",
    status: "at_risk",
    reportedOn: "2023-03-10",
    narrative: "Twelve supported internships started against a target of twenty: fewer host employers than planned signed up in the autumn.",
    mitigation: "Bury College and the Chamber of Commerce are approaching the 40 largest local employers together; a second intake starts in September 2023.",
  },
  {
    actionId: "act-p-core-1-6",
    status: "at_risk",
    reportedOn: "2023-03-24",
    narrative: "The interim evaluation of the Community Hubs is drafted, but footfall data from three hubs is incomplete.",
    mitigation: "Hub co-ordinators are completing the counts by the end of April; the evaluation goes to the partnership board in May 2023.",
  },
  {
    actionId: "act-p-cyp-2-6",
    status: "off_track",
    reportedOn: "2023-03-27",
    narrative: "Construction at the new SEMH school premises has not started: the tender returns exceeded the budget by 18%.",
    mitigation: "Value engineering with the preferred contractor is under way; a revised start on site in July 2023 is proposed to the Schools Capital Board.",
  },
];

/** Which recommendations and KPIs the actions of each priority answer (all its actions, unless listed). */
export const links: { priorityId: string; recommendationIds: string[]; kpiIds: string[]; only?: string[] }[] = [
  // Recommendation 2.6: co-design, with partners and on equal terms, the actions of the priorities.
  { priorityId: "p-core-1", recommendationIds: ["cpc-2021-2-6", "cpc-2018-10"], kpiIds: ["kpi-core-7", "kpi-core-8"] },
  { priorityId: "p-cyp-7", recommendationIds: ["cpc-2021-2-6"], kpiIds: ["kpi-cyp-2"] },
  { priorityId: "p-cyp-11", recommendationIds: ["cpc-2021-2-6"], kpiIds: ["kpi-cyp-16"] },
  {
    priorityId: "p-ops-2",
    recommendationIds: ["cpc-2021-2-6"],
    kpiIds: ["kpi-ops-6"],
    only: ["act-p-ops-2-2", "act-p-ops-2-3", "act-p-ops-2-4", "act-p-ops-2-5", "act-p-ops-2-6"],
  },
  { priorityId: "p-bgi-12", recommendationIds: ["cpc-2018-10"], kpiIds: ["kpi-bgi-6"] },
  { priorityId: "p-bgi-13", recommendationIds: ["cpc-2021-2-6"], kpiIds: ["kpi-bgi-5"], only: ["act-p-bgi-13-1", "act-p-bgi-13-2", "act-p-bgi-13-3", "act-p-bgi-13-5"] },
  // Corporate Plan delivery: prioritise what is most critical (2.1), get the basics right (2.3).
  { priorityId: "p-core-2", recommendationIds: ["cpc-2021-2-3"], kpiIds: ["kpi-core-14"] },
  { priorityId: "p-cyp-1", recommendationIds: ["cpc-2021-2-1"], kpiIds: [] },
];
