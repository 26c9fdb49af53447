import { z } from "zod";
import { ZId } from "./enrollment";

/** A DNS name or an IPv4/IPv6 literal: no scheme, path, port or spaces. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$|^[0-9a-f:.]+$/i;

/** Whose mailbox: a sender's id, or null for the mailbox without a sender (the installation's, from before senders). */
export const ZMailboxTarget = z.object({ senderId: ZId.nullable() });
export type TMailboxTarget = z.infer<typeof ZMailboxTarget>;

export const ZMailboxSettings = ZMailboxTarget.extend({
  host: z.string().trim().min(1, "Enter the IMAP server's host name").max(253, "At most 253 characters").regex(HOST, "A host name like imap.example.com, or an IP address"),
  port: z.coerce.number().int("A whole number").min(1, "Between 1 and 65535").max(65535, "Between 1 and 65535"),
  tls: z.boolean(),
  username: z.string().trim().min(1, "Enter the user name (usually the address)").max(320, "At most 320 characters"),
  authMethod: z.enum(["password", "oauth2"], { message: "Password or OAuth2 access token" }),
  /** Blank on an update keeps the stored password or token. */
  secret: z.string().max(8192, "At most 8192 characters").optional(),
  folder: z.string().trim().min(1, "Enter a folder, usually INBOX").max(200, "At most 200 characters").default("INBOX"),
  /** OAuth2 refresh (optional): blank turns it off. */
  oauthTokenUrl: z
    .string()
    .trim()
    .max(2000, "At most 2000 characters")
    .refine((v) => v === "" || /^https?:\/\/[^\s]+$/i.test(v), "A URL like https://oauth2.googleapis.com/token")
    .optional(),
  oauthClientId: z.string().trim().max(500, "At most 500 characters").optional(),
  /** Blank on an update keeps the stored one. */
  oauthClientSecret: z.string().max(2000, "At most 2000 characters").optional(),
  /** Blank on an update keeps the stored one. */
  oauthRefreshToken: z.string().max(8192, "At most 8192 characters").optional(),
});
export type TMailboxSettings = z.infer<typeof ZMailboxSettings>;
export type TMailboxSettingsInput = z.input<typeof ZMailboxSettings>;
