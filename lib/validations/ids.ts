import { z } from "zod";
import { AppError } from "../errors";

/** The pattern ZId (z.uuid()) checks, for bulk paths where a zod parse per id is too slow. */
const ID_PATTERN = z.regexes.uuid();

export function isId(value: unknown): value is string {
  return typeof value === "string" && ID_PATTERN.test(value);
}

/** The ids, or AppError("validation") naming the first malformed one (`path.index`). */
export function assertIds(values: unknown, path: string): string[] {
  if (!Array.isArray(values)) throw new AppError("validation", "Please correct the highlighted fields.", { [path]: ["Expected a list of ids"] });
  values.forEach((value, index) => {
    if (!isId(value)) throw new AppError("validation", "Please correct the highlighted fields.", { [`${path}.${index}`]: ["Not a valid id"] });
  });
  return values as string[];
}
