// A sample facilitated workshop, so the feature is visible after `npm start`. Its agenda comes
// from the first priorities of the Let's Do It! plan (business growth and infrastructure, see
// seeds/data/index.ts), framed by a welcome and a wrap-up: a two-hour partners' session.

export interface SeedWorkshop {
  id: string;
  planId: string;
  title: string;
  /** UK local time, as a facilitator enters it. */
  scheduledFor: string;
  /** Demo only: a known code so a guest can try joining. Real workshops get a random one. */
  guestCode: string;
  facilitatorEmail: string;
  invitedOrganisationIds: string[];
  opening: { title: string; minutes: number };
  /** The first N of the plan's priorities, in the plan's order: a session that fits two hours. */
  priorityCount: number;
  priorityMinutes: number;
  closing: { title: string; minutes: number };
}

export const workshops: SeedWorkshop[] = [
  {
    id: "wsh-lets-do-it-partners-session",
    planId: "lets-do-it-action-plan",
    title: "Let's Do It! partners' session: business growth, who leads what",
    scheduledFor: "2026-12-03T10:00",
    guestCode: "TEAMBURY",
    facilitatorEmail: "helen.ashworth@bury-council.example",
    invitedOrganisationIds: [
      "bury-council",
      "nhs-bury-ccg",
      "greater-manchester-police",
      "six-town-housing",
      "bury-college",
      "bury-business-leaders-group",
      "bury-vcf-alliance",
      "radcliffe-community-food-network",
      "moorside-friends-and-neighbours",
    ],
    opening: { title: "Welcome: sharing the design space on equal terms", minutes: 10 },
    priorityCount: 6,
    priorityMinutes: 15,
    closing: { title: "Wrap-up: owners, next steps and review date", minutes: 10 },
  },
];
