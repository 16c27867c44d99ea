// Consistency check for the seed data: `npx tsx seeds/data/check.ts`. Throws on the first batch of problems.
import {
  departments,
  organisations,
  plans,
  priorities,
  recommendations,
  strategy,
  themes,
  users,
} from "./index";

const problems: string[] = [];
const fail = (message: string) => problems.push(message);

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function uniqueIds(kind: string, values: string[], slug = true): Set<string> {
  const seen = new Set<string>();
  for (const value of values) {
    if (!value) fail(`${kind}: empty id`);
    if (slug && !SLUG.test(value)) fail(`${kind}: "${value}" is not a kebab-case slug`);
    if (seen.has(value)) fail(`${kind}: duplicate "${value}"`);
    seen.add(value);
  }
  return seen;
}

const orgIds = uniqueIds("organisation id", organisations.map((o) => o.id));
uniqueIds("organisation name", organisations.map((o) => o.name), false);
const themeIds = uniqueIds("theme id", themes.map((t) => t.id));
const deptIds = uniqueIds("department id", departments.map((d) => d.id));
const priorityIds = uniqueIds("priority id", priorities.map((p) => p.id));
uniqueIds("priority code", priorities.map((p) => p.code), false);
const recIds = uniqueIds("recommendation id", recommendations.map((r) => r.id));
const emails = uniqueIds("user email", users.map((u) => u.email), false);
const planIds = uniqueIds("plan id", plans.map((p) => p.id));
uniqueIds("strategy id", [strategy.id]);

// All ids across tables that share a namespace in the UI should not collide either.
uniqueIds("any id", [...orgIds, ...themeIds, ...deptIds, ...priorityIds, ...recIds, ...planIds, strategy.id]);

const org = (id: string, where: string) => {
  if (!orgIds.has(id)) fail(`${where}: unknown organisation "${id}"`);
};

for (const o of organisations) {
  if (!o.name || !o.shortName || !o.description) fail(`organisation ${o.id}: missing name, shortName or description`);
}
if (!strategy.title || !strategy.vision || !strategy.source) fail("strategy: missing title, vision or source");
if (themes.length !== 3) fail(`themes: expected the 3Rs, got ${themes.length}`);
if (departments.length !== 6) fail(`departments: expected 6, got ${departments.length}`);
for (const d of departments) {
  if (d.leadOrganisationId !== null) org(d.leadOrganisationId, `department ${d.id}`);
}

for (const p of priorities) {
  if (!p.title || !p.description || !p.code) fail(`priority ${p.id}: missing title, code or description`);
  if (p.themeId !== null && !themeIds.has(p.themeId)) fail(`priority ${p.id}: unknown theme "${p.themeId}"`);
  if (p.departmentId !== null && !deptIds.has(p.departmentId)) fail(`priority ${p.id}: unknown department "${p.departmentId}"`);
  if (p.deliverables.length > 6) fail(`priority ${p.id}: ${p.deliverables.length} deliverables (max 6)`);
  p.deliverables.forEach((d, i) => {
    const where = `priority ${p.id} deliverable ${i + 1}`;
    if (!d.title.trim() || !d.description.trim()) fail(`${where}: empty title or description`);
    if (d.title.length > 120) fail(`${where}: title is ${d.title.length} characters (max 120)`);
    if (!["Q1", "Q2", "Q3", "Q4", ""].includes(d.quarter)) fail(`${where}: bad quarter "${d.quarter}"`);
    org(d.leadOrganisationId, where);
    d.supportingOrganisationIds.forEach((s) => org(s, where));
    if (d.supportingOrganisationIds.includes(d.leadOrganisationId)) fail(`${where}: lead is also listed as support`);
    if (new Set(d.supportingOrganisationIds).size !== d.supportingOrganisationIds.length) fail(`${where}: duplicate support`);
  });
}

for (const r of recommendations) {
  if (!r.source || !r.code || !r.title || !r.text) fail(`recommendation ${r.id}: missing field`);
}
for (const required of ["2.6", "2.7"]) {
  if (!recommendations.some((r) => r.code === required)) fail(`recommendations: ${required} missing`);
}

for (const u of users) {
  org(u.organisationId, `user ${u.email}`);
  if (!/^[a-z]+\.[a-z]+@[a-z0-9-]+\.example$/.test(u.email)) fail(`user ${u.email}: email not firstname.lastname@<org>.example`);
  if (!u.password) fail(`user ${u.email}: no password`);
}
for (const role of ["facilitator", "admin"] as const) {
  if (!users.some((u) => u.systemRole === role)) fail(`users: no ${role}`);
}

if (plans.length !== 2) fail(`plans: expected exactly 2, got ${plans.length}`);
const planOfPriority = new Map<string, string>();
for (const plan of plans) {
  if (!plan.title || !plan.summary) fail(`plan ${plan.id}: missing title or summary`);
  if (plan.overview.length < 2 || plan.overview.length > 4) fail(`plan ${plan.id}: overview should have 2-4 paragraphs`);
  plan.recommendationIds.forEach((r) => {
    if (!recIds.has(r)) fail(`plan ${plan.id}: unknown recommendation "${r}"`);
  });
  if (new Set(plan.recommendationIds).size !== plan.recommendationIds.length) fail(`plan ${plan.id}: duplicate recommendation`);
  for (const p of plan.priorityIds) {
    if (!priorityIds.has(p)) fail(`plan ${plan.id}: unknown priority "${p}"`);
    const other = planOfPriority.get(p);
    if (other) fail(`priority ${p} is in both ${other} and ${plan.id}`);
    planOfPriority.set(p, plan.id);
  }
  const subjects = new Set<string>();
  for (const g of plan.grants) {
    const where = `plan ${plan.id} grant ${JSON.stringify(g)}`;
    if ((g.organisationId === undefined) === (g.userEmail === undefined)) fail(`${where}: needs exactly one of organisationId, userEmail`);
    if (g.organisationId !== undefined) org(g.organisationId, where);
    if (g.userEmail !== undefined && !emails.has(g.userEmail)) fail(`${where}: unknown user`);
    const subject = g.organisationId ? `org:${g.organisationId}` : `user:${g.userEmail}`;
    if (subjects.has(subject)) fail(`${where}: duplicate grant subject`);
    subjects.add(subject);
  }
}
for (const p of priorities) {
  if (!planOfPriority.has(p.id)) fail(`priority ${p.id} is in no plan`);
}

// Every user can reach every plan: through their organisation's grant or a grant of their own.
for (const plan of plans) {
  for (const u of users) {
    const own = plan.grants.find((g) => g.userEmail === u.email);
    const viaOrg = plan.grants.find((g) => g.organisationId === u.organisationId);
    if (!own && !viaOrg) fail(`plan ${plan.id}: user ${u.email} has no rights`);
  }
}

// KPIs of the Corporate Plan (section 8): unique ids and codes, known departments, no repeats.
{
  const { kpis } = await import("./kpis");
  uniqueIds("kpi id", kpis.map((k) => k.id));
  uniqueIds("kpi code", kpis.map((k) => k.code), false);
  for (const k of kpis) {
    if (!deptIds.has(k.departmentId)) fail(`kpi ${k.id}: unknown department "${k.departmentId}"`);
    if (!k.title.trim()) fail(`kpi ${k.id}: empty title`);
  }
  const titles = kpis.map((k) => `${k.departmentId}|${k.title}`);
  if (new Set(titles).size !== titles.length) fail("kpis: a KPI is listed twice in one department");
}

if (problems.length > 0) {
  throw new Error(`Seed data check failed (${problems.length}):\n- ${problems.join("\n- ")}`);
}

const deliverables = priorities.reduce((n, p) => n + p.deliverables.length, 0);
console.log(
  `Seed data OK: ${organisations.length} organisations, ${themes.length} themes, ${departments.length} departments, ` +
    `${priorities.length} priorities, ${deliverables} deliverables, ${recommendations.length} recommendations, ` +
    `${users.length} users, ${plans.length} plans.`,
);
