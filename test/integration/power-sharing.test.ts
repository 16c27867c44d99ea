import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { DomainError } from "../../server/domain/errors";
import { respondToPowerSharing, setPowerSharing, withdrawPowerSharingRequest } from "../../server/domain/power-sharing";
import type { Actor } from "../../server/policy";
import { seedDatabase } from "../../seeds/load";
import { ACCOUNTS } from "../helpers/app-server";
import { openFreshDatabase, refuseWrites, rowsOn, type FreshDatabase } from "../helpers/test-db";

const COMMITMENT = "act-ces-organisational-development";

let opened: FreshDatabase;
const actors = {} as Record<"council" | "vcf" | "facilitator" | "commenter" | "nhs", Actor>;

beforeAll(async () => {
  opened = await openFreshDatabase("power");
  await seedDatabase(opened.db);
  const byEmail = async (email: string): Promise<Actor> => {
    const u = await opened.db
      .selectFrom("users")
      .select(["id", "organisation_id", "system_role"])
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    return { userId: u.id, organisationId: u.organisation_id, systemRole: u.system_role };
  };
  actors.council = await byEmail(ACCOUNTS.councilEditor);
  actors.vcf = await byEmail(ACCOUNTS.vcfAllianceEditor);
  actors.facilitator = await byEmail(ACCOUNTS.facilitator);
  actors.commenter = await byEmail(ACCOUNTS.vcfCommenter);
  actors.nhs = await byEmail(ACCOUNTS.nhsEditor);
}, 60_000);

afterAll(async () => {
  await opened?.close();
});

/** Everything the record consists of, for "nothing changed" checks. */
async function snapshot() {
  const all = (table: string) => rowsOn(opened.db, `select * from ${table} where action_id = ? order by 1, 2, 3`, COMMITMENT);
  return { rows: await all("power_sharing"), requests: await all("power_sharing_requests"), history: await all("power_sharing_history") };
}

const cell = (stage: "plan" | "do" | "review", organisationId: string) => ({ actionId: COMMITMENT, stage, organisationId });

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe("the power-sharing record", () => {
  it("records a partner's own level at once, with one history row saying who and what", async () => {
    const before = await snapshot();
    const change = await setPowerSharing(opened.db, actors.council, {
      ...cell("do", "bury-council"),
      level: "involve",
      commitment: "Runs the sessions with officers from every department.",
      reviewDate: "2023-01-31",
    });
    expect(change.outcome).toBe("set");
    const after = await snapshot();
    expect(after.rows).toHaveLength(before.rows.length + 1);
    expect(after.rows).toContainEqual(
      expect.objectContaining({ stage: "do", organisation_id: "bury-council", level: "involve", agreed_by: actors.council.userId }),
    );
    expect(after.history).toHaveLength(before.history.length + 1);
    expect(after.history.at(-1)).toMatchObject({
      event: "set",
      stage: "do",
      organisation_id: "bury-council",
      to_level: "involve",
      from_level: null,
      actor_user_id: actors.council.userId,
      actor_organisation_id: "bury-council",
    });
  });

  it("keeps a row proposed for another partner pending, and organisation A cannot accept for organisation B", async () => {
    const proposed = await setPowerSharing(opened.db, actors.council, {
      ...cell("do", "bury-vcf-alliance"),
      level: "collaborate",
      commitment: "Co-designs the sessions and chooses the venues with VCF groups.",
      reviewDate: "2023-01-31",
    });
    expect(proposed.outcome).toBe("requested");
    const pending = await snapshot();
    expect(pending.requests).toContainEqual(expect.objectContaining({ stage: "do", organisation_id: "bury-vcf-alliance" }));
    expect(pending.rows.some((r) => (r as { organisation_id: string }).organisation_id === "bury-vcf-alliance")).toBe(false);
    // The VCF Alliance's editors are told.
    const [told] = await rowsOn<{ n: number }>(
      opened.db,
      "select count(*) n from notifications where user_id = ? and kind = 'power_sharing_request'",
      actors.vcf.userId,
    );
    expect(told!.n).toBeGreaterThan(0);

    // The council editor who asked, another partner, the facilitator (a council member) and a commenter: all refused.
    for (const [actor, status] of [
      [actors.council, 403],
      [actors.nhs, 403],
      [actors.facilitator, 403],
      [actors.commenter, 403],
    ] as const) {
      const error = await refusal(respondToPowerSharing(opened.db, actor, cell("do", "bury-vcf-alliance"), true));
      expect(error.status).toBe(status);
      expect(error.message).toContain("Only an editor from Bury Voluntary, Community and Faith Alliance");
    }
    expect(await snapshot()).toEqual(pending);

    // The VCF Alliance's own editor accepts: the row is agreed with the requested values, the request is gone.
    await respondToPowerSharing(opened.db, actors.vcf, cell("do", "bury-vcf-alliance"), true);
    const accepted = await snapshot();
    expect(accepted.requests.some((r) => (r as { stage: string; organisation_id: string }).stage === "do" && (r as { organisation_id: string }).organisation_id === "bury-vcf-alliance")).toBe(false);
    expect(accepted.rows).toContainEqual(
      expect.objectContaining({ stage: "do", organisation_id: "bury-vcf-alliance", level: "collaborate", agreed_by: actors.vcf.userId }),
    );
    expect(accepted.history.at(-1)).toMatchObject({ event: "accepted", actor_organisation_id: "bury-vcf-alliance", to_level: "collaborate" });
  });

  it("writes nothing when its history row cannot be written: change and history are one transaction", async () => {
    await setPowerSharing(opened.db, actors.council, {
      ...cell("review", "bury-vcf-alliance"),
      level: "empower",
      commitment: "Leads the review with VCF groups.",
      reviewDate: "2023-03-31",
    });
    const before = await snapshot();
    const allowAgain = await refuseWrites(opened.db, "power_sharing_history", "insert", "simulated failure writing history");
    try {
      // A direct change, an acceptance and a withdrawal all fail as a whole.
      await expect(
        setPowerSharing(opened.db, actors.council, {
          ...cell("review", "bury-council"),
          level: "collaborate",
          commitment: "Shares the review.",
          reviewDate: "2023-03-31",
        }),
      ).rejects.toThrow(/simulated failure/);
      await expect(respondToPowerSharing(opened.db, actors.vcf, cell("review", "bury-vcf-alliance"), true)).rejects.toThrow(
        /simulated failure/,
      );
      await expect(withdrawPowerSharingRequest(opened.db, actors.council, cell("review", "bury-vcf-alliance"))).rejects.toThrow(
        /simulated failure/,
      );
      expect(await snapshot()).toEqual(before);
    } finally {
      await allowAgain();
    }
    await respondToPowerSharing(opened.db, actors.vcf, cell("review", "bury-vcf-alliance"), false);
    expect((await snapshot()).history.at(-1)).toMatchObject({ event: "declined", organisation_id: "bury-vcf-alliance" });
  });

  it("keeps its history append-only", async () => {
    await expect(rowsOn(opened.db, "update power_sharing_history set note = 'rewritten'")).rejects.toThrow(/append-only/);
    await expect(rowsOn(opened.db, "delete from power_sharing_history")).rejects.toThrow(/append-only/);
  });

  it("refuses bad input with a message and changes nothing", async () => {
    const before = await snapshot();
    const good = { ...cell("plan", "bury-council"), level: "consult", commitment: "Asks first.", reviewDate: "2023-01-31" };
    for (const bad of [
      { ...good, level: "decide" },
      { ...good, stage: "later" },
      { ...good, reviewDate: "2023-02-30" },
      { ...good, reviewDate: "next spring" },
      { ...good, commitment: "  " },
      { ...good, agreedBy: String(actors.vcf.userId) },
    ]) {
      const error = await setPowerSharing(opened.db, actors.council, bad).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ZodError);
      expect((error as ZodError).issues[0]?.message.length).toBeGreaterThan(10);
    }
    // A commenting group is not a co-drafting partner, and a commenter cannot record levels at all.
    expect((await refusal(setPowerSharing(opened.db, actors.council, { ...good, organisationId: "radcliffe-community-food-network" }))).status).toBe(400);
    expect(
      (await refusal(setPowerSharing(opened.db, actors.commenter, { ...good, organisationId: "radcliffe-community-food-network" }))).status,
    ).toBe(403);
    expect((await refusal(setPowerSharing(opened.db, actors.council, { ...good, actionId: "act-nope" }))).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});
