/**
 * Removes every leading and trailing `char`. A loop instead of /x+$/, which
 * backtracks quadratically on a long run of `char` followed by anything else.
 */
export function trimChar(value: string, char: string, side: "start" | "end" | "both" = "both"): string {
  let start = 0;
  let end = value.length;
  if (side !== "end") while (start < end && value[start] === char) start++;
  if (side !== "start") while (end > start && value[end - 1] === char) end--;
  return value.slice(start, end);
}
