// Seed data for the Co-design Workspace (Team Bury), taken from the source documents in
// /work/shared/seed-documents. Plain typed data only: the seeding script maps it onto db/schema.ts.
//
// Sources:
//   000_46fdd633e80e232b.txt  LGA Corporate Peer Challenge follow-up, Bury Council (2021)
//   001_cfe9cab588faa210.txt  LGA Corporate Peer Challenge, Bury Council (November 2018)
//   002_c41c861cfa9a04e8.txt  Bury Council and NHS Bury CCG Corporate Plan 2022-23
//
// Deliverable descriptions keep the Corporate Plan's wording. The only edits are to obvious PDF
// extraction artefacts ("a approval" -> "approval", "a cross Bury" -> "across Bury",
// "a n adolescent" -> "an adolescent"), and to bullet lists, which are joined with "; ".
// The plan lists many deliverables for some priorities; at most 6 are kept for each, spread across
// the quarters.

import type {
  SeedDeliverable,
  SeedDepartment,
  SeedOrganisation,
  SeedPlan,
  SeedPlanGrant,
  SeedPriority,
  SeedRecommendation,
  SeedStrategy,
  SeedTheme,
  SeedUser,
} from "./types";

export type * from "./types";

const SOURCE_CORPORATE_PLAN = "Bury Council and NHS Bury CCG Corporate Plan 2022-23";
const SOURCE_CPC_2021 = "LGA Corporate Peer Challenge follow-up, Bury Council (2021)";
const SOURCE_CPC_2018 = "LGA Corporate Peer Challenge, Bury Council (November 2018)";

export const DEMO_PASSWORD = "codesign-demo-2030";

// ---------------------------------------------------------------------------------------------
// Organisations
// ---------------------------------------------------------------------------------------------

const COUNCIL = "bury-council";
const NHS = "nhs-bury-ccg";
const POLICE = "greater-manchester-police";
const HOUSING = "six-town-housing";
const COLLEGE = "bury-college";
const BUSINESS = "bury-business-leaders-group";
const VCF_ALLIANCE = "bury-vcf-alliance";
const FOOD_NETWORK = "radcliffe-community-food-network";
const MOORSIDE_GROUP = "moorside-friends-and-neighbours";

export const organisations: SeedOrganisation[] = [
  {
    id: COUNCIL,
    name: "Bury Council",
    shortName: "Bury Council",
    sector: "council",
    description:
      "The borough council that, with the CCG, led the development of the Let's Do It! Strategy and shares a Corporate Plan with NHS Bury CCG.",
  },
  {
    id: NHS,
    name: "NHS Bury CCG",
    shortName: "Bury CCG",
    sector: "nhs",
    description:
      "The clinical commissioning group that shares the Corporate Plan 2022-23 with Bury Council and is being replaced by the GM Integrated Care Board as Greater Manchester moves to an Integrated Care System.",
  },
  {
    id: POLICE,
    name: "Greater Manchester Police",
    shortName: "GMP",
    sector: "police",
    description:
      "The police force for Greater Manchester, included as the Team Bury community safety partner (the source documents do not name it).",
  },
  {
    id: HOUSING,
    name: "Six Town Housing",
    shortName: "Six Town Housing",
    sector: "housing",
    description:
      "Housing organisation whose savings proposals are a deliverable of the Housing Revenue Account (HRA) Strategy in the Corporate Plan 2022-23.",
  },
  {
    id: COLLEGE,
    name: "Bury College",
    shortName: "Bury College",
    sector: "education",
    description:
      "Further education college with which the Corporate Plan 2022-23 plans a process to place high needs students with special educational needs and disabilities (SEND).",
  },
  {
    id: BUSINESS,
    name: "Bury Business Leader's Group",
    shortName: "Business Leader's Group",
    sector: "business",
    description:
      "The Business Leader's Group set up by the Council, whose business leaders are now also involved in some Council recruitment.",
  },
  {
    id: VCF_ALLIANCE,
    name: "Bury Voluntary, Community and Faith Alliance",
    shortName: "VCF Alliance",
    sector: "vcf",
    description:
      "The Voluntary, Community and Faith (VCF) Alliance, set up as a way of re-engaging with the 1,200 VCF organisations active in Bury.",
  },
  {
    id: FOOD_NETWORK,
    name: "Radcliffe Community Food Network",
    shortName: "Radcliffe Food Network",
    sector: "vcf",
    description:
      "Demo organisation (invented for this workspace): a small volunteer-run community food group in Radcliffe.",
  },
  {
    id: MOORSIDE_GROUP,
    name: "Moorside Friends and Neighbours",
    shortName: "Moorside Neighbours",
    sector: "vcf",
    description:
      "Demo organisation (invented for this workspace): a small residents' and neighbours' group in Moorside.",
  },
];

// ---------------------------------------------------------------------------------------------
// Strategy, themes (the "3Rs") and departments
// ---------------------------------------------------------------------------------------------

export const strategy: SeedStrategy = {
  id: "lets-do-it-2030",
  title: "Let's Do It! Strategy for the Borough of Bury (2030)",
  vision:
    "Faster economic growth than the national average, with lower than national average levels of deprivation.",
  summary:
    "The ten-year Borough Strategy for Bury, led by the phrase \"Let's do it\" from the work of Victoria Wood. Bury Council and the CCG led its development with partners in 2020; it seeks to build upon a shared sense of local pride and act as a call to arms for the local vision. Each year the Council and CCG Corporate Plan sets out their contribution, while Team Bury partners update the Let's do it! Action plan.",
  source: `${SOURCE_CPC_2021}; ${SOURCE_CORPORATE_PLAN}`,
};

const RESPONSE = "response";
const RECOVERY = "recovery";
const RENEWAL = "renewal-and-regeneration";

export const themes: SeedTheme[] = [
  {
    id: RESPONSE,
    name: "Response",
    description:
      "Fulfilling the Council's role as a category one emergency responder and the CCG's leadership in the role in the health system.",
  },
  {
    id: RECOVERY,
    name: "Recovery",
    description:
      "Leading the civil contingencies recovery phase to restore the social, health and economic impacts of COVID-19.",
  },
  {
    id: RENEWAL,
    name: "Renewal and Regeneration",
    description: "Visionary changes to \"build back better\" in the borough.",
  },
];

type DeptKey = "bgi" | "cyp" | "core" | "fin" | "oco" | "ops";

const DEPT: Record<DeptKey, { id: string; code: string; section: string; name: string }> = {
  bgi: { id: "business-growth-and-infrastructure", code: "BGI", section: "7.1", name: "Business Growth and Infrastructure" },
  cyp: { id: "children-and-young-people", code: "CYP", section: "7.2", name: "Children and Young People" },
  core: { id: "corporate-core-services", code: "CORE", section: "7.3", name: "Corporate Core Services" },
  fin: { id: "finance", code: "FIN", section: "7.4", name: "Finance" },
  oco: { id: "one-commissioning-organisation", code: "OCO", section: "7.5", name: "One Commissioning Organisation (Health and Adult Care)" },
  ops: { id: "operations", code: "OPS", section: "7.6", name: "Operations" },
};

export const departments: SeedDepartment[] = [
  {
    id: DEPT.bgi.id,
    name: DEPT.bgi.name,
    description:
      "Provides building control and planning functions and leads on Town Centre masterplans and regeneration programmes.",
    leadOrganisationId: COUNCIL,
  },
  {
    id: DEPT.cyp.id,
    name: DEPT.cyp.name,
    description:
      "Provides universal and targeted help and support for the borough's children, including support to schools and children with additional needs.",
    leadOrganisationId: COUNCIL,
  },
  {
    id: DEPT.core.id,
    name: DEPT.core.name,
    description:
      "Provides HR, communications, performance, ICT, legal and business support services, and a number of direct services to the borough's residents.",
    leadOrganisationId: COUNCIL,
  },
  {
    id: DEPT.fin.id,
    name: DEPT.fin.name,
    description:
      "Leads on the medium-term financial strategy and planning, including delivery of revenue and benefits services to residents, businesses and stewardship of Council and locality NHS financial activities.",
    leadOrganisationId: COUNCIL,
  },
  {
    id: DEPT.oco.id,
    name: DEPT.oco.name,
    description:
      "Brings together all the health and adult social care commissioning functions of the CCG and Council into one structure, including public health functions and a single strategy for health and care commissioning, reflecting a 'place-based leadership' role for the whole health and care system.",
    // A joint CCG and Council structure: the plan names no single lead organisation.
    leadOrganisationId: null,
  },
  {
    id: DEPT.ops.id,
    name: DEPT.ops.name,
    description:
      "Responsible for environmental services including waste management, street cleansing, management of all highways and street lighting and operation of the Council's leisure, civic and regulatory services.",
    leadOrganisationId: COUNCIL,
  },
];

// ---------------------------------------------------------------------------------------------
// Priorities and their Q1-Q4 deliverables (Corporate Plan 2022-23, section 7)
// ---------------------------------------------------------------------------------------------

type Quarter = SeedDeliverable["quarter"];

interface DeliverableOptions {
  /** Short title when the wording is longer than 120 characters (defaults to the wording). */
  title?: string;
  lead?: string;
  support?: string[];
}

function d(quarter: Quarter, description: string, options: DeliverableOptions = {}): SeedDeliverable {
  return {
    title: options.title ?? description.replace(/\.$/, ""),
    description,
    quarter,
    leadOrganisationId: options.lead ?? COUNCIL,
    supportingOrganisationIds: options.support ?? [],
  };
}

interface PriorityInput {
  title: string;
  /** The Corporate Plan's full wording, when the title shortens it. */
  wording?: string;
  themeId: string | null;
  /** The Figure 2 ("2022 priorities aligned to the 3R's") wording that places the priority in its theme. */
  themeNote?: string;
  deliverables: SeedDeliverable[];
}

const sentence = (text: string) => (/[.?!]$/.test(text) ? text : `${text}.`);

function prioritiesOf(dept: DeptKey, inputs: PriorityInput[]): SeedPriority[] {
  const department = DEPT[dept];
  return inputs.map((input, index) => {
    const n = index + 1;
    const parts = [
      sentence(input.wording ?? input.title),
      `Corporate Plan 2022-23 priority, ${department.section} ${department.name}.`,
    ];
    if (input.themeId && input.themeNote) {
      const theme = themes.find((t) => t.id === input.themeId);
      parts.push(`3Rs: ${theme?.name ?? input.themeId} (\u201C${input.themeNote.replace(/\.$/, "")}\u201D).`);
    }
    if (input.deliverables.length === 0) {
      parts.push("The Corporate Plan lists no quarterly deliverables for this priority.");
    }
    return {
      id: `p-${dept}-${n}`,
      code: `${department.code}-${n}`,
      title: input.title,
      description: parts.join(" "),
      themeId: input.themeId,
      departmentId: department.id,
      deliverables: input.deliverables,
    };
  });
}

const regenerationStrategies = "Delivery of the regeneration strategies in Radcliffe, Ramsbottom, Prestwich and Bury East.";
const levellingUp = "Delivery of the Levelling Up Schemes for the market flexi hall and Radcliffe SRF.";
const neighbourhoodModel =
  "Developing the neighbourhood model, using a multi-agency approach, including the pilot of a Family Hub.";
const healthAndCareTransformation =
  "Support to health and care transformation, including establishment of the Integrated Commissioning Board.";
const townPlanDeliverables = () => [
  d("Q1", "Consultation complete and approval of Plan at Cabinet in March 2022"),
  d("Q2", "Development of project plans/ programmes for the delivery of detailed plans for developments, to continue into Q4"),
];

const businessGrowth = prioritiesOf("bgi", [
  {
    title: "Developing Bury Market & Flexi Hall",
    themeId: RENEWAL,
    themeNote: levellingUp,
    deliverables: [
      d(
        "Q1",
        "RIBA Stage 3 - site investigations and surveys, detailed design, planning application submission, completion of an acquisition programme by June 2022",
        { title: "RIBA Stage 3 - site investigations, detailed design, planning application and acquisition programme (by June 2022)" },
      ),
      d("Q2", "RIBA Stage 4 - technical design, planning consent approval, market testing, obtain approval to proceed by September 2022"),
      d("Q3", "RIBA Stage 5 – Enter into main contract, Site mobilisation, demolition, start on site Flexi Hall by December 2022"),
      d("Q4", "RIBA Stage 5 - Start on site market canopy and kiosks by March 2023"),
    ],
  },
  {
    title: "Radcliffe Hub Levelling Up programme",
    themeId: RENEWAL,
    themeNote: levellingUp,
    deliverables: [
      d(
        "Q1",
        "RIBA Stage 3 – completion of site investigations and surveys, detailed design, planning application submission, issue notice to commercial tenants where applicable by June 2022",
        { title: "RIBA Stage 3 – site investigations, detailed design, planning application, notice to commercial tenants (by June 2022)" },
      ),
      d("Q2", "RIBA Stage 4 – technical design, planning consent approval, market testing, obtain approval to proceed by September 2022"),
      d(
        "Q3",
        "RIBA Stage 5 – Enter into main contract, vacant possession of South Block, Market Basement and Market Chambers, mobilisation and site set up by December 2022",
        { title: "RIBA Stage 5 – main contract, vacant possession of South Block, Market Basement and Market Chambers (by December 2022)" },
      ),
      d("Q4", "RIBA Stage 5 - Demolition and soft strip, backlog maintenance works by March 2023"),
    ],
  },
  {
    title: "Radcliffe SRF: housing, North Block and transport",
    wording: "Radcliffe SRF including: Housing; North Block; Transport",
    themeId: RENEWAL,
    themeNote: levellingUp,
    deliverables: [],
  },
  {
    title: "Delivering the Prestwich Plan",
    themeId: RENEWAL,
    themeNote: regenerationStrategies,
    deliverables: [
      d(
        "Q1",
        "RIBA Stage 0/1 – prepare client requirements, preparation of project brief, including project outcomes, sustainability outcomes, Quality aspirations and spatial requirements. Feasibility studies, funding options to agree project budget, Site info/surveys, project programme by June 2022",
        { title: "RIBA Stage 0/1 – client requirements, project brief, feasibility studies and funding options (by June 2022)" },
      ),
      d("Q2", "RIBA Stage 2 – concept design. Architectural concept. Cabinet approval by September 2022"),
      d(
        "Q3",
        "RIBA stage 3 – spatial coordination. Undertake design studies, engineering analysis, costs exercises, update cost plan, project strategies and outline specification",
        { title: "RIBA Stage 3 – spatial coordination: design studies, engineering analysis, cost plan and outline specification" },
      ),
      d(
        "Q4",
        "RIBA stage 3/4 – technical design, planning consent approval, market testing, submission to Cabinet for scheme sign off and approval to proceed",
        { title: "RIBA Stage 3/4 – technical design, planning consent, market testing and Cabinet sign off to proceed" },
      ),
    ],
  },
  {
    title: "Delivering the Ramsbottom Plan",
    themeId: RENEWAL,
    themeNote: regenerationStrategies,
    deliverables: townPlanDeliverables(),
  },
  {
    title: "Delivering the Bury Town Centre Plan",
    themeId: RENEWAL,
    // Section 3.3 (Renewal and Regeneration) lists the strategic development plan for Bury Town Centre.
    themeNote: "Strategic development plans in place for Radcliffe, Bury Town Centre, Prestwich and Ramsbottom",
    deliverables: townPlanDeliverables(),
  },
  {
    title: "Land Disposal Programme: circa £5m of assets disposed of",
    wording:
      "Circa £5m of assets disposed of (subject to planning permission and public consultation, where required) in line with the Land Disposal Programme",
    themeId: RENEWAL,
    themeNote: "Delivery of the accelerated Land Disposal.",
    deliverables: [
      d("Q1", "Review and reprofile the delivery of the programme to determine a more accurate timescale for the disposal of each asset."),
      d("Q1", "Phase 4 Programme launched"),
      d("Q2", "5 assets successfully sold (subject to contract)"),
      d("Q3", "10 assets successfully sold (subject to contract)"),
      d("Q4", "10 assets successfully sold (subject to contract)"),
    ],
  },
  {
    title: "Delivery of Borough Wide Transport Plan",
    themeId: null,
    deliverables: [
      d("Q1", "Development of Draft Transport Plan by June 2022"),
      d("Q2", "Consultation complete and approval of Transport Plan at Cabinet by September 2022."),
      d("Q3", "Development of key programmes following approval to continue into Q4"),
    ],
  },
  {
    title: "Places for Everyone Joint Plan, including Northern Gateway and Elton Reservoir",
    wording:
      "Delivery of activity associated with the Places for Everyone Joint Plan, including: Northern Gateway; Elton Reservoir",
    themeId: RENEWAL,
    themeNote: "Submission of the Places for Everyone (GMSF/Plan of 9) and subsequent engagement with residents.",
    deliverables: [
      d("Q1", "Submission of PFE to Government for examination"),
      d("Q2", "Outcome of examination"),
      d("Q4", "Approval and implementation of Plan"),
    ],
  },
  {
    title: "Delivery of the Economic Development Strategy",
    themeId: null,
    deliverables: [
      d("Q1", "Baseline information gathered, and stakeholder events undertaken", { support: [BUSINESS] }),
      d("Q2", "Consultation on Draft Economic Development Strategy", { support: [BUSINESS] }),
      d("Q3", "Approval of Economic Development Strategy"),
      d("Q4", "Ongoing Implementation of Economic Development Strategy Action Plan"),
    ],
  },
  {
    title: "Progression of the Bury Local Plan",
    wording: "Delivery of activity associated with the progression of the Bury Local Plan",
    themeId: null,
    deliverables: [
      d("Q2", "Development of the Local Plan complete"),
      d("Q3", "Consultation on draft Local Plan"),
      d("Q4", "Analysis of consultation undertaken and plan issued"),
    ],
  },
  {
    title: "Delivery of Brownfield Housing Site Sales Programme",
    themeId: RENEWAL,
    themeNote: "Delivery of the brownfield housing programme.",
    deliverables: [
      d("Q1", "Sale of School Street (subject to planning permission) generating £1.6m (+13 properties to the value of £2.5m)"),
      d("Q1", "Sale of Green Street generating £1.45m"),
      d("Q2", "Sale of Seedfield generating £1m"),
      d("Q3", "Sale of Fletcher Fold"),
      d("Q3", "Sale of Wheatfields generating £300k"),
      d("Q3", "Sale of William Kemp Heaton (TBC)"),
    ],
  },
  {
    title: "Delivery of HRA Strategy",
    themeId: RECOVERY,
    themeNote: "HRA strategy.",
    deliverables: [
      d("Q1", "Sheltered Housing review complete"),
      d("Q1", "Approval of redevelopment programme for four sheltered housing developments"),
      d("Q2", "Planning and funding approval at Cabinet for Fletcher Fold social housing and shared ownership"),
      d("Q3", "Six Town Housing savings proposals agreed by 31/12/22", { lead: HOUSING, support: [COUNCIL] }),
      d("Q4", "HRA budget 2023/24 approved at Cabinet"),
    ],
  },
]);

const childrenAndYoungPeople = prioritiesOf("cyp", [
  {
    title: "Delivery of the OFSTED Improvement Plan",
    wording: "Delivery of activity within the OFSTED Improvement Plan",
    themeId: RECOVERY,
    themeNote: "Delivery of the children's OFSTED improvement plan.",
    deliverables: [
      d("Q1", "Improvement Plan agreed by Ofsted and the Improvement Board and programme established"),
      d("Q1", "Refresh and review of the MASH."),
      d("Q2", "Practice Learning Plan established"),
      d("Q3", "Launch of the Social Work Academy"),
      d("Q3", "1st formal review from the DFE appointed commissioner"),
      d("Q4", "Ofsted monitoring visit complete"),
    ],
  },
  {
    title: "Support to deliver the Schools Capital Programme",
    wording:
      "Support to deliver the Schools Capital Programme, including: Star Academy Trust in Radcliffe; Special free school in Unsworth (in partnership with Shaw Education Trust); DFE approved SEMH Special Free school; Relocate Secondary Pru",
    themeId: RENEWAL,
    themeNote: "Support to the establishment of new secondary schools in Radcliffe and Unsworth.",
    deliverables: [
      d("Q1", "Establish Programme Infrastructure including a Schools Capital Board and associated action/ delivery Plan"),
      d("Q1", "Identify site and agree required specification for SEMH Free School. Begin tender process"),
      d("Q2", "Conclude SEMH Free school presumption tender process. Final decision by RSC."),
      d("Q2", "Develop scheme, undertake surveys & investigations, stage 2 design. Planning Application submitted."),
      d("Q3", "Tender process completed and Contractor appointed"),
      d("Q4", "Construction at new premises commenced"),
    ],
  },
  {
    title: "Safety Valve programme: reduce the Dedicated Schools Grant deficit and strengthen SEND",
    wording:
      "Delivery of activity within the Safety Valve programme to reduce the Dedicated Schools Grant deficit and strengthen SEND, EHCP offer and DSG grant spend",
    themeId: RECOVERY,
    themeNote: "Delivery of Project Safety Valve to reduce the Dedicated Schools Grant deficit.",
    deliverables: [
      d("Q1", "EHCP Process: Co-produced process map and new EHCP proforma in place"),
      d("Q1", "Revised QA framework developed"),
      d("Q1", "DFE submission complete"),
      d("Q2", "EHCP Process: Training pathway launched"),
      d("Q2", "Parent/ Carer network established"),
      d("Q3", "Process in place for Resource Provision places and establish an outreach/in reach offer"),
    ],
  },
  {
    title: "Improve education outcomes at all Key Stages, particularly Key Stage 4",
    themeId: null,
    deliverables: [
      d("Q1", "Deliver Recovery of Learning Plan"),
      d("Q1", "Evaluate & re-broker support plans for schools judged less than good"),
      d("Q2", "Bury Ready Together (PVI/schools) share practice on the new EYFS framework"),
      d("Q2", "Evaluate the effectiveness of the self-improving school led system, leading to refreshed co-produced Bury Toolkit"),
      d("Q3", "Review and refresh the recovery of learning plan based on summer outcomes/ intelligence"),
      d("Q4", "Deliver targeted support and intervention in line with information from quality assurance & cross-service intelligence.", {
        title: "Deliver targeted support and intervention in line with quality assurance & cross-service intelligence",
      }),
    ],
  },
  {
    title: "Response to Government White Paper (expected March 22)",
    themeId: null,
    deliverables: [
      d("Q1", "CYP restructure in line with revised LA role and duties"),
      d("Q1", "Establish principles for MAT growth & their wider contribution to the system"),
      d("Q1", "Plan to deliver expectation as an Education Investment Area (EIA)"),
      d("Q2", "Develop attendance strategy"),
      d("Q3", "Consult schools in relation to full removal of the School Improvement and Brokerage Grant"),
      d("Q4", "Develop report on progress against EIA plan"),
    ],
  },
  {
    title: "Review of Early Years Services against the 1001 days pathway and GMCA 8 stage delivery model",
    themeId: null,
    deliverables: [
      d("Q1", "Review service provision and map current offer through the Bury East Pilot steering group"),
      d("Q2", "Develop integrated approach to family support"),
      d("Q3", "Evaluate pilot"),
      d("Q4", "Roll out offer across Bury"),
    ],
  },
  {
    title: "Develop locality teams to a Family Hub model through Bury East pilot",
    themeId: RECOVERY,
    themeNote: neighbourhoodModel,
    deliverables: [
      d("Q1", "Develop a Bury East steering group to develop the service offer aligned to the Redvales Centre"),
      d("Q2", "Repurpose the centre to allow for collocation of integrated services"),
      d("Q3", "Launch pilot and test proof of concept"),
      d("Q4", "Review pilot and develop plan to rolling out across Bury"),
    ],
  },
  {
    title: "Develop a specific service for adolescents to support young people to more successful transition to adulthood",
    themeId: null,
    deliverables: [
      d("Q1", "Develop service specification"),
      d("Q2", "Agree funding and approach and identify appropriate resource to deliver"),
      d("Q3", "Launch new service"),
      d("Q4", "Review impact/ outcome of new service"),
    ],
  },
  {
    title: "Increasing attendance levels through a strengthened strategic approach to attendance and by the expansion of the role of the Virtual school",
    themeId: null,
    deliverables: [
      d("Q1", "Develop Revised approach to statutory action in relation to attendance"),
      d("Q1", "Finalise accountability pathways for children and young people not in full time education"),
      d("Q1", "Implement Anxiety Based School Avoidance Pathway"),
      d("Q2", "Develop with schools an Attendance Strategy Policy for implementation by Sept 2022"),
      d("Q2", "Virtual school to implement expanded duty to all children known to Social Care"),
    ],
  },
  {
    title: "Develop SEND integrated transparent pathways through the revised Graduated Approach",
    themeId: null,
    deliverables: [
      d("Q2", "Develop revision of the Bury \u201Cthresholds\u201D document to become the Bury new \u201CGraduated Approach\u201D"),
      d("Q2", "Introduction of the Early Years Ordinarily Available Provision toolkit to support the graduated response"),
      d("Q3", "Implement Graduated Approach guidance"),
      d(
        "Q3",
        "Undertake inclusion health checks to support schools with self-evaluation of inclusive practice build a network within the school self-improvement system",
        { title: "Undertake inclusion health checks to support schools with self-evaluation of inclusive practice" },
      ),
      d("Q3", "Develop Ordinarily Available Provision to diminish the difference between Children with SEN and those without, in EYFS."),
    ],
  },
  {
    title: "Increase the proportion of 16–25-year-olds with SEND in employment",
    themeId: null,
    deliverables: [
      d("Q1", "Maximise opportunities within the ESF project to engage SEND young people and support positive transition"),
      d("Q2", "Develop process with Bury College and other FE colleges to place high needs students from SI", { support: [COLLEGE] }),
      d("Q2", "Source employment opportunities by contacting local employers and promoting a SEND workforce", { support: [BUSINESS] }),
      d("Q3", "Expand Bury's supported Internship programme"),
      d("Q3", "Develop SEND Ambassador approach"),
    ],
  },
  {
    title: "Improve the outcomes of SEND children and young people so they attain educationally to the best of their ability and potential",
    themeId: null,
    deliverables: [
      d("Q2", "Support school improvement plans, particularly highlighting SEN K and SEN with an EHCP performance"),
      d("Q3", "Use SEND data to broker schools to school support and sharing of good practice within Inclusion across the schools system.", {
        title: "Use SEND data to broker school to school support and sharing of good practice within Inclusion",
      }),
    ],
  },
]);

const corporateCore = prioritiesOf("core", [
  {
    title: "Embedding the Neighbourhood Model",
    themeId: RECOVERY,
    themeNote: neighbourhoodModel,
    deliverables: [
      d("Q1", "Pitch funds fully allocated", { support: [VCF_ALLIANCE] }),
      d("Q1", "Community Safety Plan Delivery Milestones agreed", { support: [POLICE] }),
      d("Q1", "Anti-poverty action plan implemented"),
      d("Q2", "Bi-annual Community Safety Report to Scrutiny", { support: [POLICE] }),
      d("Q3", "Summative evaluation of Pitch funding (Impact and ROI)", { support: [VCF_ALLIANCE] }),
      d("Q4", "Interim evaluation of Community Hubs to inform Year Two planning"),
    ],
  },
  {
    title: "Getting the Basics right",
    themeId: null,
    deliverables: [
      d("Q1", "LETS Values & behaviours framework designed"),
      d("Q1", "Customer care standards relaunched"),
      d("Q1", "Communications & engagement strategy finalised and implemented"),
      d("Q1", "Elected Members casework system launched"),
      d("Q2", "Core Management development programme delivery begins"),
      d("Q2", "Establish customer services working group"),
    ],
  },
  {
    title: "Delivery of the Internal Transformation Strategy",
    themeId: null,
    deliverables: [
      d("Q1", "Customer Engagement Strategy developed, starting with digital offer"),
      d("Q1", "Corporate business support service established"),
      d("Q2", "Current website re-launched with additional functionality"),
      d("Q2", "Phase 2 of Cloud Migration Completed"),
      d("Q3", "Data Platform launched"),
      d("Q4", "New contact strategy in place with new technology and digital first approach"),
    ],
  },
  {
    title: "People",
    themeId: null,
    deliverables: [
      d("Q1", "Organisation redesign – senior management"),
      d("Q1", "Wellbeing strategy re-launch"),
      d("Q3", "People strategy agreed"),
      d("Q3", "Inclusion data re-published"),
      d("Q4", "Inclusion Strategy Year 2 review, plan for Year 3 agreed"),
      d("Q4", "Talent strategy including new approach to attraction"),
    ],
  },
]);

const finance = prioritiesOf("fin", [
  {
    title: "Finance restructure and implementation",
    themeId: null,
    deliverables: [
      d("Q1", "Staff consultation complete"),
      d("Q1", "Final staffings structure agreed", { title: "Final staffing structure agreed" }),
      d("Q2", "Restructure complete"),
      d("Q2", "Recruitment process complete"),
      d("Q3", "Final review"),
    ],
  },
  {
    title: "Education and training programme on finance",
    themeId: null,
    deliverables: [
      d("Q1", "The development of directorate training plan"),
      d("Q1", "Council wide training plan in place"),
      d("Q1", "Plan for the delivery of continued member finance training in place"),
      d("Q2", "Development and delivery of relevant finance training to budget holders"),
      d("Q3", "Review and update to the budget holder training linked to self service"),
      d("Q4", "Review of training provided and assessment."),
    ],
  },
  {
    title: "Support the transition of locality to new health and care infrastructure",
    themeId: RECOVERY,
    themeNote: healthAndCareTransformation,
    deliverables: [
      d("Q1", "Engagement with ICS & ICB workstreams to ensure the Bury voice is heard in decision making", { support: [NHS] }),
      d("Q1", "Work with System Finance Group to ensure finance locality & activity reporting continues at a local level", { support: [NHS] }),
      d("Q2", "Complete Q1 set of CCG accounts and all other finance and contracting related closedown activities", { lead: NHS }),
      d("Q2", "Deliver, and support delivery where appropriate, locality financial reporting.", { support: [NHS] }),
      d("Q3", "Resolve any initial issues with locality reporting from both partners and the ICB", { support: [NHS] }),
      d("Q4", "Delivery of locality-based budget setting under the ICS from a health point of view", { lead: NHS, support: [COUNCIL] }),
    ],
  },
  {
    title: "Review of processes, controls and systems to transform finance delivery within the locality",
    themeId: null,
    deliverables: [
      d("Q1", "Review of outstanding internal and external audit actions."),
      d("Q1", "Complete review of payments process."),
      d("Q2", "Plan in place to transform finance delivery within the locality."),
      d("Q3", "Models of working (behaviours) implemented."),
      d("Q3", "Complete a review of policies and procedures"),
      d("Q4", "Conclusion of review of internal charges."),
    ],
  },
]);

const oneCommissioning = prioritiesOf("oco", [
  {
    title: "COVID-19 Outbreak Management Plan: testing, vaccination and Public Health support",
    wording:
      "Maintaining and ongoing delivery of the COVID-19 Outbreak Management Plan including testing, vaccination and Public Health support",
    themeId: RESPONSE,
    themeNote: "Delivery of the COVID-19 Outbreak Management Plan including testing, vaccination and Public Health support.",
    deliverables: [
      d("Q1", "Delivery of Vaccination programme in accordance with JCVI guidance", { lead: NHS, support: [COUNCIL] }),
      d("Q1", "Review of Epidemiology through Health Protection Board", { support: [NHS] }),
      d("Q1", "Maintain testing arrangements"),
      d("Q2", "Complete review of sustainability of vaccination, and develop proposition for future delivery", { lead: NHS }),
      d(
        "Q3",
        "Finalise public health winter planning arrangements (including flu vaccination) and reflect and amend in light of Covid epidemiology",
        { title: "Finalise public health winter planning arrangements (including flu vaccination) in light of Covid epidemiology", support: [NHS] },
      ),
      d("Q4", "Complete review of effectiveness of covid outbreak management plan delivery to inform future planning arrangements", {
        support: [NHS],
      }),
    ],
  },
  {
    title: "Managing and overseeing transition to ICS",
    themeId: RECOVERY,
    themeNote: healthAndCareTransformation,
    deliverables: [
      d("Q1", "Receive and reflect GMICS operating model in local governance arrangements", { lead: NHS, support: [COUNCIL] }),
      d("Q1", "Bury System to finalise the governance of the Locality Board", { lead: NHS, support: [COUNCIL] }),
      d("Q2", "All CCG staff (in scope of employment promise) safely transferred to GMICB under TUP", {
        title: "All CCG staff (in scope of employment promise) safely transferred to GMICB under TUPE",
        lead: NHS,
      }),
      d("Q2", "Review of the 1st 3 months of the new arrangements started on 1/7/22, to be complete by 30/9/22", {
        lead: NHS,
        support: [COUNCIL],
      }),
      d(
        "Q3",
        "Demonstrate evidence of the effective operation of all elements of the local partnership arrangements, including: Locality board; Integrated Delivery Board; Clinical and Professional Senate; GP Collaborative; Strategic Finance Group; Population Health Group; System Assurance Group",
        { title: "Demonstrate evidence of the effective operation of all elements of the local partnership arrangements", lead: NHS, support: [COUNCIL] },
      ),
      d("Q4", "Review of first year of operation of new arrangements.", { lead: NHS, support: [COUNCIL] }),
    ],
  },
  {
    title: "Health and Care System Transformation",
    wording:
      "Health and Care System Transformation including Urgent and Elective Care and Mental Health, Frailty, Adult Social Care Transformation, population health, learning disabilities, primary care, community services",
    themeId: RECOVERY,
    themeNote: healthAndCareTransformation,
    deliverables: [
      d(
        "Q1",
        "Finalise the leadership arrangements for all health and care system priorities as defined by the work of the Integrated Delivery Collaborative (14 programmes)",
        { title: "Finalise leadership arrangements for all health and care priorities (Integrated Delivery Collaborative, 14 programmes)", lead: NHS, support: [COUNCIL] },
      ),
      d("Q1", "Establish the leadership role of CSPB for children's health and care transformation", { lead: NHS, support: [COUNCIL] }),
      d("Q1", "Confirm outcomes and financial ambition for all programmes", { lead: NHS, support: [COUNCIL] }),
      d("Q2", "Reporting on deliverables across all programmes through to IDC Board and on a rotating basis to Locality Board", {
        lead: NHS,
        support: [COUNCIL],
      }),
      d("Q3", "Demonstrate reported outcomes and mitigated action where appropriate", { lead: NHS, support: [COUNCIL] }),
      d("Q4", "Review of all programmes", { lead: NHS, support: [COUNCIL] }),
    ],
  },
  {
    title: "Supporting the health and care system to cope with COVID-19 and the backlog of demand",
    wording: "Supporting the H and C system to cope with COVID-19 and the backlog of demand",
    themeId: RESPONSE,
    themeNote: "Supporting the Health and Care system to cope with COVID-19 and the backlog of demand, including Mental Health.",
    deliverables: [
      d(
        "Q1",
        "Finalise the scale of backlog of demand across a range of programmes including: Elective care; Mental Health (Adults and Children); Adult Social Care; Long Covid",
        { title: "Finalise the scale of backlog of demand: elective care, mental health, adult social care and Long Covid", lead: NHS, support: [COUNCIL] },
      ),
      d("Q1", "Participate in system wide planning (NHS) commitments for ICS", { lead: NHS }),
      d("Q2", "Review progress against planned trajectory for the programmes identified and report to Locality board and IDCB", {
        lead: NHS,
        support: [COUNCIL],
      }),
      d(
        "Q2",
        "Reassess demand trajectory to reflect significant economic challenges to household income in addition to pent up demand from covid",
        { title: "Reassess demand trajectory to reflect economic challenges to household income and pent up demand from covid", lead: NHS, support: [COUNCIL] },
      ),
      d("Q3", "Report progress on locality board and IDCB", { lead: NHS, support: [COUNCIL] }),
      d("Q4", "Review and assess future year planning priorities with partners", { lead: NHS, support: [COUNCIL] }),
    ],
  },
  {
    title: "Implementation of the Adult Care White Paper (subject to legislation)",
    themeId: null,
    deliverables: [
      d("Q1", "Dialogue with DHSC on role of Bury as potential national trailblazer subject to clarification on costs and workforce support", {
        title: "Dialogue with DHSC on role of Bury as potential national trailblazer (subject to clarification on costs and workforce)",
      }),
      d("Q2", "Fare care assessment framework development"),
      d("Q2", "Conduct assessments of self-funders in September 2022"),
      d("Q3", "Charging reform from January 2023"),
      d("Q4", "Review and development"),
    ],
  },
]);

const operations = prioritiesOf("ops", [
  {
    title: "Develop the Wellness model and prepare to move existing provision to the new Radcliffe Hub",
    themeId: null,
    deliverables: [
      d("Q1", "Launch the bike hub at Radcliffe Library to support wider Active Travel Plans"),
      d("Q2", "Work alongside Public Health and embed Live Well Deliverables into the Health Improvement Plans"),
      d("Q3", "Embed the Live Well Service into the Neighbourhood Model to increase referrals from Radcliffe"),
      d("Q4", "Review"),
    ],
  },
  {
    title: "Achieve carbon neutrality by 2038",
    themeId: RENEWAL,
    themeNote: "Implementation of the Climate Change.",
    deliverables: [
      d("Q1", "Distribute all Community Climate Action Funding (CCAF)", { support: [VCF_ALLIANCE] }),
      d("Q1", "Climate Action Board established"),
      d("Q2", "Bury Means Green Business Breakfast Event", { support: [BUSINESS] }),
      d("Q2", "Community Environmental Forums established in each Neighbourhood"),
      d("Q3", "10 public Electric Vehicle Charging Infrastructure installed"),
      d("Q4", "Community Energy Company Set up."),
    ],
  },
  {
    title: "Highway resurfacing (delivery of Highway Investment Strategy (HIS) - Tranche 2)",
    themeId: RECOVERY,
    themeNote: "Programme of improvements in operational services, including environmental standards and highways.",
    deliverables: [
      d("Q1", "Develop plan with framework contractors to deliver £4million of resurfacing works in 2022-2023"),
      d("Q1", "Decision made on HIS3 strategy (3-year highway programme)"),
      d("Q2", "If agreed, plan HIS3"),
      d("Q3", "Submit Cabinet report on HIS3"),
      d("Q4", "Completion of highway resurfacing as outlined in HIS2"),
    ],
  },
  {
    title: "Corporate landlord implementation",
    themeId: RECOVERY,
    themeNote: "Developing a Corporate Landlord function to effectively manage our estate.",
    deliverables: [
      d("Q1", "Scoping and development of 100-day plan by external resource"),
      d("Q1", "Building conditions surveys completed, including health and safety"),
      d("Q2", "Development of an Implementation plan"),
    ],
  },
  {
    title: "Create a Youth Zone facility (subject to site identification and mutual approval)",
    themeId: null,
    deliverables: [
      d("Q1", "Decision on facility"),
      d("Q1", "If yes, consideration of a bid to government Youth Investment Fund for £8.2m capital"),
    ],
  },
]);

export const priorities: SeedPriority[] = [
  ...businessGrowth,
  ...childrenAndYoungPeople,
  ...corporateCore,
  ...finance,
  ...oneCommissioning,
  ...operations,
];

// ---------------------------------------------------------------------------------------------
// Recommendations (verbatim from the peer challenge reports)
// ---------------------------------------------------------------------------------------------

export const recommendations: SeedRecommendation[] = [
  {
    id: "cpc-2021-2-1",
    source: SOURCE_CPC_2021,
    code: "2.1",
    title: "Prioritise again the objectives and actions most critical corporately",
    text: "In light of the number of competing priorities now facing the Council, prioritise again those objectives and actions which are the most critical corporately. Further embed an understanding of the corporate priorities and the future ways of working across the organisation through the forthcoming organisational development programme.",
  },
  {
    id: "cpc-2021-2-2",
    source: SOURCE_CPC_2021,
    code: "2.2",
    title: "Set out and agree the approach and strategy for organisational development",
    text: "Clearly set out and agree the approach and strategy for organisational development that senior leaders can then consistently champion. This approach is likely to require at different stages and in different instances both high support and high challenge. Further work is required on the modernisation of more fundamental HR processes as part of \u2018getting the basics right\u2019 to help enable this.",
  },
  {
    id: "cpc-2021-2-3",
    source: SOURCE_CPC_2021,
    code: "2.3",
    title: "Consistently get the basics right",
    text: "Give focus to consistently \u2018getting the basics right\u2019 which will help increase the amount of capacity the Council can put towards the transformation ambitions, delivery of saving requirements and the corporate priorities. Examples of which include risk management, improvements in customer services, use of internal audit, complaints monitoring, tracking of member enquiries, HR processes and support for procurement.",
  },
  {
    id: "cpc-2021-2-4",
    source: SOURCE_CPC_2021,
    code: "2.4",
    title: "Continue to improve performance management",
    text: "Continue to improve performance management and consider where further structural alignment of those in these functions is needed. Judge success by the quality, timing, engagement, and targeted nature of the decisions made possible both at a locality and borough level \u2013 rather than the amount of information that can be produced. Especially in more challenging areas. Key to this is both, the ability to challenge service performance as well as monitoring of strategic outcomes. It also includes continuing to support members in their roles by ensuring effective alignment with Cabinet member ambitions, responsibilities and accountability.",
  },
  {
    id: "cpc-2021-2-5",
    source: SOURCE_CPC_2021,
    code: "2.5",
    title: "Complete the structural review of the finance function",
    text: "Completing the planned structural review of the finance function will help to shift support for managers and budget holders more towards a business partner model. This can further support service managers to deliver in full the planned savings. Following this with support, training and more timely service level resource information will also help to improve savings delivery over the course of the next MTFS and help to understand early any financial interdependencies, duplications and lag.",
  },
  {
    id: "cpc-2021-2-6",
    source: SOURCE_CPC_2021,
    code: "2.6",
    title: "Co-design the actions to achieve the priorities under the 2030 vision",
    text: "Building on the progress made to develop a 2030 vision for Bury and building of relationships with partners, co-design the actions required to achieving the priorities under the 2030 vision. Doing this on equal terms will help create a wider sense of shared ownership of this vision.",
  },
  {
    id: "cpc-2021-2-7",
    source: SOURCE_CPC_2021,
    code: "2.7",
    title: "Work with others to co-design the Community Engagement Strategy",
    text: "Work with others to co-design the Community Engagement Strategy. Embed the cultural and workforce requirements of this within the organisational development programme. This includes giving sufficient consideration to how far the Council (and potentially other partners) are willing to share space and power in the plan, what each will do with defined review stages. Consideration of any risks around this and further building the relationships to work through the challenges of implementing this will be important.",
  },
  {
    id: "cpc-2018-1",
    source: SOURCE_CPC_2018,
    code: "1",
    title: "Develop a new Corporate Plan which states the priorities for the council over the next three years",
    text: "Develop a new Corporate Plan which states the priorities for the council over the next three years. This should include regular milestones which are clearly owned across the organisation \u2013 featuring in service plans and annual staff appraisals. This should also include progression, proxy and output measures to demonstrate and track progress towards longer term outcomes.",
  },
  {
    id: "cpc-2018-5",
    source: SOURCE_CPC_2018,
    code: "5",
    title: "Develop and deliver a single, comprehensive corporate Performance Management Framework",
    text: "Develop and deliver a single, comprehensive corporate Performance Management Framework. This will help ensure appropriate accountability and enable all services to demonstrate and be challenged on their impact. Performance against the key priorities should be reported at least quarterly in a relevant scorecard to the cabinet and senior leadership team. Scrutiny should also then be supported to challenge with a similar level of detail on specific areas.",
  },
  {
    id: "cpc-2018-8",
    source: SOURCE_CPC_2018,
    code: "8",
    title: "Refresh the approach to community engagement and the resourcing of the VCF sector",
    text: "Refresh the approach to community engagement and look at how the resourcing of the voluntary, community and faith (VCF) sector could have a greater impact on local priorities. There is willing capacity in the community and the VCF sector available to the council. This is as much about how resource is targeted as it is about how \u2013 and how early in the process - communities and the VCF sector are involved in co-designing local solutions.",
  },
  {
    id: "cpc-2018-10",
    source: SOURCE_CPC_2018,
    code: "10",
    title: "Review the role of the strategic 'Team Bury' partnership and its governance",
    text: "Review the role of the strategic 'Team Bury' partnership, the outcomes it can deliver for Bury and the governance arrangements required to do this. This will require an agreed set of priorities with partners locally and delivery plans which detail roles and responsibilities. This should also outline the mechanisms through which partners can hold each other to account for delivery. There may be wider opportunities to bring more partners together under the 'Team Bury' approach to co-design new creative solutions and benefit from each other's roles, reach, capability and capacity.",
  },
];

// ---------------------------------------------------------------------------------------------
// Demo users (all share DEMO_PASSWORD; invented people, .example addresses)
// ---------------------------------------------------------------------------------------------

const VIEWER_EMAIL = "margaret.hughes@bury-council.example";

export const users: SeedUser[] = [
  {
    email: "helen.ashworth@bury-council.example",
    name: "Helen Ashworth",
    organisationId: COUNCIL,
    systemRole: "facilitator",
    jobTitle: "Strategic Partnerships Manager, Strategy and Partnerships Team",
    password: DEMO_PASSWORD,
  },
  {
    email: "daniel.okafor@bury-council.example",
    name: "Daniel Okafor",
    organisationId: COUNCIL,
    systemRole: "admin",
    jobTitle: "Business Intelligence and Systems Lead, Corporate Core",
    password: DEMO_PASSWORD,
  },
  {
    email: "sarah.whitworth@bury-council.example",
    name: "Sarah Whitworth",
    organisationId: COUNCIL,
    systemRole: "member",
    jobTitle: "Regeneration Programme Manager, Business Growth and Infrastructure",
    password: DEMO_PASSWORD,
  },
  {
    email: "rahul.mistry@nhs-bury-ccg.example",
    name: "Rahul Mistry",
    organisationId: NHS,
    systemRole: "member",
    jobTitle: "Head of Strategic Commissioning, One Commissioning Organisation",
    password: DEMO_PASSWORD,
  },
  {
    email: "joanne.kerr@bury-vcf-alliance.example",
    name: "Joanne Kerr",
    organisationId: VCF_ALLIANCE,
    systemRole: "member",
    jobTitle: "Partnerships Lead",
    password: DEMO_PASSWORD,
  },
  {
    email: "mark.holden@six-town-housing.example",
    name: "Mark Holden",
    organisationId: HOUSING,
    systemRole: "member",
    jobTitle: "Head of Housing Strategy",
    password: DEMO_PASSWORD,
  },
  {
    email: "aisha.begum@bury-college.example",
    name: "Aisha Begum",
    organisationId: COLLEGE,
    systemRole: "member",
    jobTitle: "Head of Inclusive Learning",
    password: DEMO_PASSWORD,
  },
  {
    email: "tom.fielding@radcliffe-community-food-network.example",
    name: "Tom Fielding",
    organisationId: FOOD_NETWORK,
    systemRole: "member",
    jobTitle: "Volunteer Coordinator",
    password: DEMO_PASSWORD,
  },
  {
    email: VIEWER_EMAIL,
    name: "Margaret Hughes",
    organisationId: COUNCIL,
    systemRole: "member",
    jobTitle: "Scrutiny Officer, Overview and Scrutiny",
    password: DEMO_PASSWORD,
  },
];

// ---------------------------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------------------------

/** The same rights on both plans: partners edit, small VCF groups comment, the scrutiny officer views. */
const standardGrants = (): SeedPlanGrant[] => [
  { organisationId: COUNCIL, role: "editor" },
  { organisationId: NHS, role: "editor" },
  { organisationId: POLICE, role: "editor" },
  { organisationId: HOUSING, role: "editor" },
  { organisationId: COLLEGE, role: "editor" },
  { organisationId: BUSINESS, role: "editor" },
  { organisationId: VCF_ALLIANCE, role: "editor" },
  { organisationId: FOOD_NETWORK, role: "commenter" },
  { organisationId: MOORSIDE_GROUP, role: "commenter" },
  // A user grant overrides the organisation's: the council's scrutiny officer only views.
  { userEmail: VIEWER_EMAIL, role: "viewer" },
];

const ids = (list: SeedPriority[], numbers?: number[]) =>
  list.filter((_, i) => !numbers || numbers.includes(i + 1)).map((p) => p.id);

export const plans: SeedPlan[] = [
  {
    id: "lets-do-it-action-plan",
    title: "Let's Do It! partnership action plan 2022-23",
    summary:
      "Team Bury partners co-design, on equal terms, the actions that achieve the priorities under the Let's Do It! 2030 vision (peer challenge recommendation 2.6): regeneration and housing, climate and operations, neighbourhoods, and young people with SEND into work.",
    overview: [
      "The 2021 peer challenge asked the Council, building on the progress made to develop a 2030 vision for Bury and on its relationships with partners, to co-design the actions required to achieve the priorities under the 2030 vision. Doing this on equal terms will help create a wider sense of shared ownership of the vision, which some partners still see as a Council document about the place rather than one they jointly own.",
      "This is a test for partnership working in Bury. It means exploring \u2018the art of the possible\u2019, with mutual openness to taking on different roles or co-designing new solutions, rather than listing what each partner is already committed to doing. It is not about the Council telling partners what it wants from them, but sharing the design space around these priorities.",
      "The draft actions start from the 2022-23 deliverables of the Corporate Plan for business growth and infrastructure, operations, the neighbourhood model, the Family Hub pilot and SEND employment. Partners can propose to lead or support any action, so that the plan details roles and responsibilities and the mechanisms through which partners can hold each other to account for delivery (2018 recommendation 10).",
      "As recommendation 2.7 asks for the Community Engagement Strategy, partners should be clear how far the Council and other partners are willing to share space and power in the plan, do and review stages, and what each will do, with defined review stages.",
    ],
    recommendationIds: ["cpc-2021-2-6", "cpc-2021-2-7", "cpc-2018-10", "cpc-2018-8"],
    priorityIds: [
      ...ids(businessGrowth),
      ...ids(operations),
      ...ids(corporateCore, [1]),
      ...ids(childrenAndYoungPeople, [7, 11]),
    ],
    grants: standardGrants(),
  },
  {
    id: "corporate-plan-delivery-2022-23",
    title: "Corporate Plan delivery 2022-23",
    summary:
      "The remaining 2022-23 priorities of the Bury Council and NHS Bury CCG Corporate Plan: children and young people, Corporate Core, Finance and the One Commissioning Organisation (Health and Adult Care), with their Q1-Q4 deliverables.",
    overview: [
      "The Corporate Plan 2022-23 describes how the Council and CCG will deliver their contribution to the Let's Do It! Strategy as the borough recovers from the local impact of the COVID-19 pandemic. This plan holds its priorities for children and young people, the Corporate Core, Finance and the One Commissioning Organisation, structured against the \u201C3Rs\u201D of response, recovery and renewal.",
      "The peer team asked the Council to prioritise again those objectives and actions which are the most critical corporately (recommendation 2.1), and to give focus to consistently \u2018getting the basics right\u2019, which will increase the capacity it can put towards the transformation ambitions, savings and the corporate priorities (recommendation 2.3).",
      "Delivery is tracked through monthly highlight reports and quarterly performance reports to the Council's Cabinet and the CCG Governing Body. Success should be judged by the quality, timing, engagement and targeted nature of the decisions made possible, rather than the amount of information that can be produced (recommendation 2.4), and partners should be able to hold each other to account for delivery (2018 recommendation 10).",
    ],
    recommendationIds: ["cpc-2021-2-1", "cpc-2021-2-3", "cpc-2021-2-4", "cpc-2018-10"],
    priorityIds: [
      ...ids(childrenAndYoungPeople, [1, 2, 3, 4, 5, 6, 8, 9, 10, 12]),
      ...ids(corporateCore, [2, 3, 4]),
      ...ids(finance),
      ...ids(oneCommissioning),
    ],
    grants: standardGrants(),
  },
];
