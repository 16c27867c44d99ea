// Seed data for the draft Community Engagement Strategy proposal (issue 3), from the source documents:
//   000_46fdd633e80e232b.txt  recommendation 2.7 and section 4.4 "Leadership of Place" (2021)
//   001_cfe9cab588faa210.txt  the VCF Alliance and the 1,200 VCF organisations in Bury (2018)
// Wording from the reports is kept; what partners propose to do is a draft for them to change.

export type SeedStage = "plan" | "do" | "review";
export type SeedLevel = "inform" | "consult" | "involve" | "collaborate" | "empower";

export interface SeedPowerSharing {
  stage: SeedStage;
  organisationId: string;
  level: SeedLevel;
  commitment: string;
  reviewDate: string;
  /** "accepted": recorded as agreed; "pending": proposed by `requestedByEmail`, waiting for the partner. */
  status: "accepted" | "pending";
  requestedByEmail?: string;
}

export interface SeedCommitment {
  id: string;
  title: string;
  description: string[];
  powerSharing: SeedPowerSharing[];
}

export interface SeedThread {
  id: string;
  /** Exact words of the proposal text the comment is on (they must occur once). */
  quote: string;
  authorEmail: string;
  body: string;
  replies: { authorEmail: string; body: string }[];
  resolvedByEmail?: string;
}

export interface SeedProposal {
  id: string;
  title: string;
  summary: string;
  overview: string[];
  recommendationIds: string[];
  editorOrganisationIds: string[];
  commenterOrganisationIds: string[];
  viewerEmails: string[];
  commitments: SeedCommitment[];
  threads: SeedThread[];
}

const COUNCIL = "bury-council";
const NHS = "nhs-bury-ccg";
const VCF_ALLIANCE = "bury-vcf-alliance";

export const engagementProposal: SeedProposal = {
  id: "community-engagement-strategy",
  title: "Community Engagement Strategy (draft proposal)",
  summary:
    "Co-designing the Community Engagement Strategy with partners and the voluntary, community and faith sector, and agreeing how far each partner will share space and power in the plan, do and review stages (peer challenge recommendation 2.7).",
  overview: [
    "The 2021 peer challenge asked the Council to work with others to co-design the Community Engagement Strategy, and to embed the cultural and workforce requirements of this within the organisational development programme (recommendation 2.7).",
    "This includes giving sufficient consideration to how far the Council (and potentially other partners) are willing to share space and power in the plan, do and review stages, and what each will do, with defined review stages. Consideration of any risks around this and further building the relationships to work through the challenges of implementing this will be important.",
    "The Council stated an intention to establish a new relationship with communities based on meaningful voice, co-design and collaboration. Given that trust is often hard to gain but easy to lose, how this evolving approach is developed and implemented with consistency will be important. Key to this will be how officers of the Council work with and demonstrate an understanding of the local voluntary, community and faith sector.",
    "Being clear about expectations, and then consistent with the commitments made, means deciding how much space and control in each of the plan, do and review stages the Council is happy to share or let go of. This should be based on a considered assessment of the opportunities and risks this might present, when it would be appropriate and the conditions in which it would not.",
    "The Council set up the Voluntary, Community and Faith (VCF) Alliance as a way of re-engaging with the sector. Given the 1,200 VCF organisations active in Bury, there is significant capacity locally. This is as much about how resource is targeted as it is about how, and how early in the process, communities and the VCF sector are involved in co-designing local solutions.",
    "This draft proposes the commitments below, each with a power-sharing record that every partner agrees for itself. VCF groups are invited to comment on any passage: select the words, add a comment, and mention an organisation with @ to bring it into the conversation.",
  ],
  recommendationIds: ["cpc-2021-2-7", "cpc-2018-8"],
  editorOrganisationIds: [
    COUNCIL,
    NHS,
    "greater-manchester-police",
    "six-town-housing",
    "bury-college",
    "bury-business-leaders-group",
    VCF_ALLIANCE,
  ],
  commenterOrganisationIds: ["radcliffe-community-food-network", "moorside-friends-and-neighbours"],
  viewerEmails: ["margaret.hughes@bury-council.example"],
  commitments: [
    {
      id: "act-ces-co-design-with-vcf",
      title: "Co-design the strategy with the VCF sector from the first draft",
      description: [
        "The VCF Alliance convenes VCF groups to shape the strategy while it is still a draft, rather than being consulted on a finished document: how early in the process communities and the VCF sector are involved matters as much as how.",
      ],
      powerSharing: [
        {
          stage: "plan",
          organisationId: COUNCIL,
          level: "collaborate",
          commitment: "Shares the drafting of the strategy with the VCF Alliance and partners, and gives officers time for co-design sessions.",
          reviewDate: "2022-09-30",
          status: "accepted",
        },
        {
          stage: "plan",
          organisationId: VCF_ALLIANCE,
          level: "collaborate",
          commitment: "Convenes VCF groups to shape the first draft and brings their comments to the drafting group.",
          reviewDate: "2022-09-30",
          status: "accepted",
        },
        {
          stage: "do",
          organisationId: COUNCIL,
          level: "involve",
          commitment: "Funds venues and accessible materials for community conversations in each township.",
          reviewDate: "2022-12-31",
          status: "accepted",
        },
        {
          stage: "do",
          organisationId: VCF_ALLIANCE,
          level: "empower",
          commitment: "Leads community conversations with VCF groups, choosing its own methods and places.",
          reviewDate: "2022-12-31",
          status: "pending",
          requestedByEmail: "helen.ashworth@bury-council.example",
        },
        {
          stage: "review",
          organisationId: COUNCIL,
          level: "consult",
          commitment: "Reports back what changed because of the conversations, and why anything did not.",
          reviewDate: "2023-03-31",
          status: "accepted",
        },
      ],
    },
    {
      id: "act-ces-organisational-development",
      title: "Embed the strategy in the organisational development programme",
      description: [
        "The cultural and workforce requirements of the strategy are embedded within the organisational development programme, so that officers work with and demonstrate an understanding of the local voluntary, community and faith sector.",
      ],
      powerSharing: [
        {
          stage: "plan",
          organisationId: COUNCIL,
          level: "consult",
          commitment: "Asks VCF partners what officers need to understand about the sector before the programme is set.",
          reviewDate: "2022-10-31",
          status: "accepted",
        },
        {
          stage: "review",
          organisationId: NHS,
          level: "involve",
          commitment: "Joins the review of how consistently the new approach is applied across health and care teams.",
          reviewDate: "2023-03-31",
          status: "accepted",
        },
      ],
    },
    {
      id: "act-ces-align-resources",
      title: "Align community resources with the local priorities",
      description: [
        "Consider how the approach to community engagement and the use of social capital funds, participatory budgets and other resources could be more closely aligned to the local priorities, and how the resourcing of the VCF sector could have a greater impact.",
      ],
      powerSharing: [],
    },
  ],
  threads: [
    {
      id: "thr-seed-small-groups",
      quote: "Given the 1,200 VCF organisations active in Bury",
      authorEmail: "tom.fielding@radcliffe-community-food-network.example",
      body: "Most of those 1,200 are small and run by volunteers like us. Could the co-design sessions be in the evenings, so volunteers who work in the day can take part?",
      replies: [
        {
          authorEmail: "joanne.kerr@bury-vcf-alliance.example",
          body: "Agreed. The Alliance can host evening sessions in Radcliffe and Ramsbottom if the Council covers the venues.",
        },
      ],
    },
    {
      id: "thr-seed-review-stages",
      quote: "with defined review stages",
      authorEmail: "joanne.kerr@bury-vcf-alliance.example",
      body: "Each commitment below now has a review date per stage, so this is covered by the power-sharing record.",
      replies: [],
      resolvedByEmail: "helen.ashworth@bury-council.example",
    },
  ],
};
