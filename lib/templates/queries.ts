import "server-only";
/** The Templates page's reads, for any signed-in user (viewers read everything). */
import { requirePageUser } from "../auth/session";
import { getDb } from "../db/client";
import { ZListTemplates } from "../validations/templates";
import { listSnippets, listTemplates } from "./store";

export async function templatesPageData(query: string | undefined) {
  await requirePageUser();
  const input = ZListTemplates.parse({ query: (query ?? "").slice(0, 100) });
  const db = getDb();
  const [templates, snippets] = await Promise.all([listTemplates(db, input), listSnippets(db, input)]);
  return { templates, snippets, query: input.query };
}
