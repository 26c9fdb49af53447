/** Sender identities (Settings → Senders): shared by the form, the actions and lib/senders. */
import { z } from "zod";
import { ZId } from "./enrollment";

/**
 * A display name goes into the From header: a line break would start a new
 * header (header injection), so any control character is refused, checked
 * before trimming so that a trailing CR/LF is refused too, not trimmed away.
 * Quotes, backslashes and angle brackets are refused as well: the name is
 * then always safe to quote as is (lib/senders/address.ts).
 */
const ZFromName = z
  .string({ error: "Enter a name" })
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\x00-\x1f\x7f]*$/, "One line only: no line breaks or control characters")
  .regex(/^[^"\\<>]*$/, "No quotes, backslashes or angle brackets")
  .trim()
  .min(1, "Enter the name recipients see")
  .max(100, "At most 100 characters");

const ZAddress = z
  .string({ error: "Enter an email address" })
  .trim()
  .max(254, "At most 254 characters")
  .pipe(z.email("Enter a valid email address"));

/** Blank (or absent) means replies go to the From address. */
const ZReplyTo = z
  .union([z.literal(""), ZAddress], { error: "Enter a valid email address, or leave it blank" })
  .nullable()
  .optional()
  .transform((value) => value || null);

export const ZSenderFields = z.object({
  fromName: ZFromName,
  fromAddress: ZAddress,
  replyTo: ZReplyTo,
});
export type TSenderFields = z.infer<typeof ZSenderFields>;
export type TSenderFieldsInput = z.input<typeof ZSenderFields>;

export const ZUpdateSender = ZSenderFields.extend({ senderId: ZId });
export type TUpdateSender = z.infer<typeof ZUpdateSender>;

export const ZSenderRef = z.object({ senderId: ZId });
export type TSenderRef = z.infer<typeof ZSenderRef>;

/** Null: the environment's sender (MAIL_FROM) becomes the default again. */
export const ZSetDefaultSender = z.object({ senderId: ZId.nullable() });
export type TSetDefaultSender = z.infer<typeof ZSetDefaultSender>;
