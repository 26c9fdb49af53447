/**
 * Auto-replies (out of office, autoresponders, bulk mail) must not count as
 * a reply: they would end sequences nobody answered. Detected from the
 * standard headers (RFC 3834 Auto-Submitted, Precedence, the Microsoft and
 * other X- headers) and, as a fallback, the usual subject prefixes.
 */
const AUTO_SUBJECT = /^\s*(auto:|automatic reply|out of office|autoreply)/i;

/** `headers` with any-case names; lower-cased keys are looked up. */
export function isAutoReply(headers: Record<string, string> | undefined, subject: string | undefined): boolean {
  const h = lowerCaseKeys(headers ?? {});
  const autoSubmitted = h["auto-submitted"]?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== "no") return true;
  if (h["x-autoreply"] !== undefined || h["x-autorespond"] !== undefined) return true;
  const precedence = h["precedence"]?.trim().toLowerCase();
  if (precedence && ["bulk", "auto_reply", "junk"].includes(precedence)) return true;
  const suppress = h["x-auto-response-suppress"]?.split(",").map((v) => v.trim().toLowerCase()) ?? [];
  if (suppress.includes("all") || suppress.includes("oof")) return true;
  return AUTO_SUBJECT.test(subject ?? "");
}

export function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
