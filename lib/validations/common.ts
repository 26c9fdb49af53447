import { z } from "zod";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "./text";

export const PAGE_SIZE = 25;

/** ?q=&page= from a list page's search params, clamped to sane values. */
export const ZListParams = z.object({
  q: z.string().trim().max(200).refine(isStorableText, UNSTORABLE_TEXT_MESSAGE).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type TListParams = z.infer<typeof ZListParams>;

export type Page<T> = { items: T[]; total: number; page: number; pageCount: number };

export function pageOf<T>(items: T[], total: number, page: number, pageSize = PAGE_SIZE): Page<T> {
  return { items, total, page, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}
