// Types for the seed data in ./index.ts (plain data, no database code).
// The rows map onto the tables in db/schema.ts; the seeding script does the mapping.

export type Sector = "council" | "nhs" | "police" | "fire" | "housing" | "education" | "business" | "vcf" | "other";

/** id: kebab slug, e.g. "bury-council". */
export interface SeedOrganisation {
  id: string;
  name: string;
  shortName: string;
  sector: Sector;
  description: string;
}

/** The Let's Do It! 2030 strategy; `source` names the document(s) it comes from. */
export interface SeedStrategy {
  id: string;
  title: string;
  vision: string;
  summary: string;
  source: string;
}

/** The "3Rs": Response, Recovery, Renewal and Regeneration. */
export interface SeedTheme {
  id: string;
  name: string;
  description: string;
}

/** The six departments named in the Corporate Plan 2022-23. */
export interface SeedDepartment {
  id: string;
  name: string;
  description: string;
  leadOrganisationId: string | null;
}

/** One Q1-Q4 deliverable of a priority; becomes a draft action. */
export interface SeedDeliverable {
  title: string;
  description: string;
  quarter: "Q1" | "Q2" | "Q3" | "Q4" | "";
  leadOrganisationId: string;
  supportingOrganisationIds: string[];
}

export interface SeedPriority {
  id: string;
  code: string;
  title: string;
  description: string;
  themeId: string | null;
  departmentId: string | null;
  deliverables: SeedDeliverable[];
}

export interface SeedRecommendation {
  id: string;
  source: string;
  code: string;
  title: string;
  text: string;
}

export interface SeedUser {
  email: string;
  name: string;
  organisationId: string;
  systemRole: "member" | "facilitator" | "admin";
  jobTitle: string;
  password: string;
}

/** Exactly one of organisationId / userEmail is set. */
export interface SeedPlanGrant {
  organisationId?: string;
  userEmail?: string;
  role: "editor" | "commenter" | "viewer";
}

export interface SeedPlan {
  id: string;
  title: string;
  summary: string;
  /** Paragraphs of the plan's overview text. */
  overview: string[];
  recommendationIds: string[];
  /** Priorities whose deliverables become this plan's draft actions. */
  priorityIds: string[];
  grants: SeedPlanGrant[];
}
