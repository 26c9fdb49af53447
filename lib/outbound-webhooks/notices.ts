import "server-only";
import type { Db } from "../db/prisma";
import { AUTO_DISABLE_REASON } from "./drain";

/** Endpoints Stepwise disabled after a day of failures (not those an admin disabled): the settings page warns about them. */
export async function autoDisabledEndpoints(db: Db): Promise<{ id: string; url: string; disabledReason: string | null }[]> {
  return db.webhookEndpoint.findMany({ where: { disabledAt: { not: null }, disabledReason: AUTO_DISABLE_REASON }, select: { id: true, url: true, disabledReason: true }, orderBy: { disabledAt: "desc" } });
}
