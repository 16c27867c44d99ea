/**
 * The first administrator of a real deployment, made from the command line (`npm run
 * create-admin`): a new installation has no accounts, and nobody can sign in to make one.
 */
import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import { findOrganisationByName, findUserIdByEmail, insertOrganisation, insertUser, organisationIdTaken } from "../../db/queries/accounts";
import { DEMO_PASSWORD } from "../../seeds/data";
import { hashPassword } from "../auth/passwords";
import { audit } from "./admin";
import { DomainError } from "./errors";

export const FirstAdminInput = z.object({
  email: z.string().trim().toLowerCase().email("--email: enter a valid email address, e.g. --email ana@council.example."),
  name: z.string().trim().min(2, "--name: enter the person's name, e.g. --name \"Ana Lopez\".").max(120),
  organisation: z.string().trim().min(2, "--organisation: enter the organisation's name, e.g. --organisation \"Bury Council\".").max(120),
  password: z
    .string()
    .min(12, "The password must be at least 12 characters long.")
    .max(200, "The password must be at most 200 characters long.")
    .refine((p) => p !== DEMO_PASSWORD, "That is the published demo password: choose another."),
});
export type FirstAdminInput = z.infer<typeof FirstAdminInput>;

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "organisation"
  );
}

/** Creates the administrator (and their organisation when it does not exist yet), with audit rows, in one transaction. */
export async function createFirstAdmin(db: DB, input: FirstAdminInput) {
  if (await findUserIdByEmail(db, input.email)) throw new DomainError(409, `There is already an account for ${input.email}.`);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (trx) => {
    const now = nowIso();
    let organisation = await findOrganisationByName(trx, input.organisation);
    let organisationCreated = false;
    if (!organisation) {
      let id = slug(input.organisation);
      for (let n = 2; await organisationIdTaken(trx, id); n++) id = `${slug(input.organisation)}-${n}`;
      await insertOrganisation(trx, { id, name: input.organisation, short_name: input.organisation.slice(0, 40), sector: "other", created_at: now });
      organisation = { id, name: input.organisation };
      organisationCreated = true;
    }
    const user = {
      id: await insertUser(trx, {
        email: input.email,
        name: input.name,
        organisation_id: organisation.id,
        password_hash: passwordHash,
        system_role: "admin",
        created_at: now,
      }),
    };
    // Nobody was signed in: the record names the new administrator, and how they were made.
    const actor = { userId: user.id, organisationId: organisation.id, systemRole: "admin" as const };
    if (organisationCreated) {
      await audit(trx, actor, "organisation.created", organisation.id, { name: input.organisation, via: "create-admin command" });
    }
    await audit(trx, actor, "user.created", String(user.id), {
      email: input.email,
      organisationId: organisation.id,
      systemRole: "admin",
      via: "create-admin command",
    });
    return { userId: user.id, organisationId: organisation.id, organisationCreated };
  });
}
