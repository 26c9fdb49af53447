import "server-only";
/** Reads of sender identities for pages; each checks who may see them. */
import { requirePageUser } from "../auth/session";
import { getDb } from "../db/client";
import { dkimAligned } from "./address";
import { environmentSender, identityOf } from "./identity";

export type SenderListItem = {
  id: string;
  fromName: string;
  fromAddress: string;
  replyTo: string | null;
  isDefault: boolean;
  /** Names of the sequences that send as it. */
  sequences: string[];
  /** False: its domain differs from DKIM_DOMAIN (DMARC alignment fails); null: no DKIM configured. */
  dkimAligned: boolean | null;
  updatedBy: string | null;
  updatedAt: Date;
};

/** Every sender with what uses it, for Settings → Senders (admins). */
export async function listSendersForAdmin(): Promise<{ senders: SenderListItem[]; environment: { from: string; dkimAligned: boolean | null }; dkimDomain: string | null }> {
  await requirePageUser("admin");
  const rows = await getDb().sender.findMany({
    orderBy: [{ isDefault: "desc" }, { fromName: "asc" }, { createdAt: "asc" }],
    select: {
      id: true,
      fromName: true,
      fromAddress: true,
      replyTo: true,
      isDefault: true,
      updatedAt: true,
      updatedBy: { select: { email: true } },
      sequences: { orderBy: { name: "asc" }, select: { name: true } },
    },
  });
  const dkimDomain = process.env.DKIM_DOMAIN || undefined;
  const env = environmentSender();
  return {
    senders: rows.map(({ updatedBy, sequences, ...row }) => ({
      ...row,
      sequences: sequences.map((s) => s.name),
      dkimAligned: dkimAligned(row.fromAddress, dkimDomain),
      updatedBy: updatedBy?.email ?? null,
    })),
    environment: { from: env.from, dkimAligned: dkimAligned(env.address, dkimDomain) },
    dkimDomain: dkimDomain ?? null,
  };
}

export type SenderOption = { id: string; label: string; isDefault: boolean };

/** The senders a sequence may pick (editors), and who "the default" is now. */
export async function listSenderOptions(): Promise<{ options: SenderOption[]; defaultLabel: string }> {
  await requirePageUser("marketer");
  const rows = await getDb().sender.findMany({ orderBy: [{ fromName: "asc" }, { createdAt: "asc" }], select: { id: true, fromName: true, fromAddress: true, replyTo: true, isDefault: true } });
  const options = rows.map((row) => ({ id: row.id, label: identityOf(row).from, isDefault: row.isDefault }));
  const fallback = rows.find((row) => row.isDefault);
  return { options, defaultLabel: identityOf(fallback ?? null).from };
}

/** Who a sequence's mail is from, for its page (anyone who may read the sequence). */
export async function sequenceSenderLabel(senderId: string | null): Promise<{ from: string; replyTo: string | null; own: boolean }> {
  await requirePageUser("viewer");
  const db = getDb();
  const row = senderId
    ? await db.sender.findUnique({ where: { id: senderId }, select: { id: true, fromName: true, fromAddress: true, replyTo: true } })
    : await db.sender.findFirst({ where: { isDefault: true }, select: { id: true, fromName: true, fromAddress: true, replyTo: true } });
  const identity = identityOf(row);
  return { from: identity.from, replyTo: identity.replyTo, own: senderId !== null };
}
