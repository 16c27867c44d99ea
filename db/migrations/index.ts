import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation";
import * as m0002 from "./0002_engagement";
import * as m0003 from "./0003_workshops";
import * as m0004 from "./0004_accountability";
import * as m0005 from "./0005_agreement";
import * as m0007 from "./0007_planning_cycle";
import * as m0008 from "./0008_workshop_decisions";
import * as m0009 from "./0009_reports_and_sections";
import * as m0010 from "./0010_people_and_mail";
import * as m0011 from "./0011_identity_providers";
import * as m0012 from "./0012_lead_handover";
import * as m0013 from "./0013_notification_email";
import * as m0014 from "./0014_personal_data";

// A static list survives bundling, unlike a folder scan at run time.
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_engagement": m0002,
  "0003_workshops": m0003,
  "0004_accountability": m0004,
  "0005_agreement": m0005,
  "0007_planning_cycle": m0007,
  "0008_workshop_decisions": m0008,
  "0009_reports_and_sections": m0009,
  "0010_people_and_mail": m0010,
  "0011_identity_providers": m0011,
  "0012_lead_handover": m0012,
  "0013_notification_email": m0013,
  "0014_personal_data": m0014,
};
