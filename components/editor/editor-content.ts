import type { JSONContent } from "@tiptap/react";
import { readBody, tokenizeMergeTags } from "@/lib/email/body-doc";

/** A stored body (document JSON, or older plain text) as the editor opens it: typed `{{tags}}` become tokens. */
export function editorContent(stored: string): JSONContent {
  return tokenizeMergeTags(readBody(stored)) as JSONContent;
}
