import { z } from "zod";

/** Emails are compared and stored lower-cased and trimmed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const ZEmail = z
  .string()
  .trim()
  .max(254, "At most 254 characters")
  .pipe(z.email("Enter a valid email address"))
  .transform(normalizeEmail);
