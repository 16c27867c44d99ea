import type { AppLoadContext } from "@remix-run/node";
import { Packer } from "docx";
import { isIsoDate, todayInLondon } from "../../server/accountability/dates";
import { partnerStatementModel } from "../../server/accountability/partner-statement";
import { documentFromModel, DOCX_MIME } from "../../server/accountability/report-docx";
import type { SessionUser } from "../../server/auth/sessions";
import { loadPartnerStatement } from "../../server/domain/partner-statement";
import { actorOf } from "./auth.server";
import { asAtFrom } from "./plan-access.server";

/** The signed-in person's own organisation's statement: each partner takes its own part to its board. */
export async function partnerStatement(context: AppLoadContext, user: SessionUser, url: URL) {
  const today = todayInLondon();
  const { asAt } = asAtFrom(url, today, isIsoDate);
  const data = await loadPartnerStatement(context.app.db, context.app.sync, actorOf(user), {
    organisationId: user.organisationId,
    asAt,
    preparedBy: `${user.name} (${user.organisationName})`,
    partnership: "Team Bury partnership",
  });
  return { asAt, today, report: partnerStatementModel(data) };
}

export async function partnerStatementDocx(context: AppLoadContext, user: SessionUser, url: URL) {
  const { asAt, report } = await partnerStatement(context, user, url);
  const buffer = await Packer.toBuffer(documentFromModel(report, { cover: false }));
  const slug = user.organisationName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
  return new Response(new Uint8Array(buffer), {
    headers: {
      "Content-Type": DOCX_MIME,
      "Content-Disposition": `attachment; filename="${slug}-partner-statement-${asAt}.docx"`,
      "Cache-Control": "no-store",
    },
  });
}
