import type { TagContactsResult } from "@/lib/contacts/tag-contacts";

type Applied = Extract<TagContactsResult, { status: "applied" }>;

const count = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
const list = (items: string[]) => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);

/**
 * The toast after adding a tag: how many got it, how many had it already
 * (in any case), and who was enrolled in which sequence by its triggers.
 */
export function describeTagResult(result: Applied, selected: number): { title: string; description?: string; alreadyThere: boolean } {
  const tag = `"${result.tagName}"`;
  const alreadyThere = result.added === 0 && result.alreadyTagged > 0;
  let title: string;
  if (alreadyThere) title = selected === 1 ? `This contact already has the tag ${tag}` : `All ${count(result.alreadyTagged, "selected contact")} already have the tag ${tag}`;
  else if (selected === 1) title = `Tag ${tag} added`;
  else title = `Tag ${tag} added to ${count(result.added, "contact")}${result.alreadyTagged ? ` (${result.alreadyTagged.toLocaleString("en")} already had it)` : ""}`;

  const enrolled = result.enrollments.filter((s) => s.enrolled > 0).map((s) => `${s.enrolled.toLocaleString("en")} in ${s.sequenceName}`);
  const notEnrolled = result.enrollments.flatMap((s) => [
    ...(s.alreadyEnrolled ? [`${s.alreadyEnrolled.toLocaleString("en")} already in ${s.sequenceName}`] : []),
    ...(s.refused ? [`${s.refused.toLocaleString("en")} not allowed into ${s.sequenceName} (unsubscribed, bounced or its re-entry rule)`] : []),
  ]);
  const sentences = [enrolled.length ? `Enrolled ${list(enrolled)}.` : "", notEnrolled.length ? `Not enrolled: ${list(notEnrolled)}.` : ""].filter(Boolean);
  return { title, description: sentences.length ? sentences.join(" ") : undefined, alreadyThere };
}
