/**
 * Merge tags: our own `{{key}}` / `{{key|fallback}}` syntax (docs/authoring.md
 * says why we kept it rather than Liquid). Pure: the builder's picker, the
 * save-time check and the renderer share these rules.
 *
 * One meaning everywhere: a key is matched case-insensitively, so
 * `{{Company}}`, `{{company}}` and an attribute stored as "COMPANY" are one
 * attribute, and `{{firstname}}` is the built-in first name.
 */
export type MergeContact = {
  email: string;
  firstName: string | null;
  lastName: string | null;
  attributes: unknown;
};

/**
 * A tag is whatever sits between "{{" and "}}" with no brace inside; the key
 * and fallback are split and trimmed in code. No two parts of this pattern
 * can match the same text, so it runs in linear time on any input (a
 * pattern with overlapping `\s*` runs took minutes on 20,000 spaces).
 */
const TAG = /\{\{([^{}]*)\}\}/g;
export const MERGE_TAG_KEY = /^[a-zA-Z_][\w.]*$/;

/** The contact's own fields, by their canonical spelling. */
export const BUILT_IN_KEYS = ["firstName", "lastName", "email"] as const;

/** The one identity of a key: "Company", "company" and "COMPANY" are the same attribute. */
export function keyIdentity(key: string): string {
  return key.trim().toLowerCase();
}

export type ParsedTag = { raw: string; key: string; fallback: string | null; valid: boolean };

/** Every `{{...}}` of a template, in order; `valid` is false for `{{a b}}`, `{{ 1x }}`. */
export function parseMergeTags(template: string): ParsedTag[] {
  return [...template.matchAll(TAG)].map(([raw, inner]) => {
    const pipe = inner.indexOf("|");
    const key = (pipe === -1 ? inner : inner.slice(0, pipe)).trim();
    return { raw, key, fallback: pipe === -1 ? null : inner.slice(pipe + 1).trim(), valid: MERGE_TAG_KEY.test(key) };
  });
}

/** The contact's values by key identity. Built-in fields win over attributes of the same name. */
export function mergeValues(contact: MergeContact): Map<string, string> {
  const values = new Map<string, string>();
  if (contact.attributes && typeof contact.attributes === "object" && !Array.isArray(contact.attributes)) {
    for (const [key, value] of Object.entries(contact.attributes as Record<string, unknown>)) {
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") continue;
      const id = keyIdentity(key);
      // Two spellings of one key on an unmigrated contact: the first non-empty value counts.
      if (!values.get(id)?.trim()) values.set(id, String(value));
    }
  }
  values.set("firstname", contact.firstName ?? "");
  values.set("lastname", contact.lastName ?? "");
  values.set("email", contact.email);
  return values;
}

/**
 * Replaces merge tags; `escape` is applied to substituted values only. An
 * empty or unknown key renders its fallback, or nothing: saving a step
 * refuses unknown keys, so that only happens to an attribute deleted since.
 */
export function applyMergeTags(template: string, contact: MergeContact, escape: (s: string) => string = (s) => s): string {
  const values = mergeValues(contact);
  return template.replace(TAG, (match, inner: string) => {
    const pipe = inner.indexOf("|");
    const key = (pipe === -1 ? inner : inner.slice(0, pipe)).trim();
    if (!MERGE_TAG_KEY.test(key)) return match;
    const fallback = pipe === -1 ? "" : inner.slice(pipe + 1).trim();
    const value = values.get(keyIdentity(key))?.trim();
    return escape(value ? value : fallback);
  });
}

export type TagProblem = { tag: string; message: string };

/**
 * What is wrong with a template's tags, given the attribute keys that exist:
 * a malformed tag (it would be sent as typed) or an unknown key (it would
 * vanish). A wrongly cased key is accepted: it means the same attribute.
 */
export function mergeTagProblems(template: string, attributeKeys: Iterable<string>): TagProblem[] {
  const known = new Set([...BUILT_IN_KEYS, ...attributeKeys].map(keyIdentity));
  const problems: TagProblem[] = [];
  const seen = new Set<string>();
  for (const tag of parseMergeTags(template)) {
    if (seen.has(tag.raw)) continue;
    seen.add(tag.raw);
    if (!tag.valid) problems.push({ tag: tag.raw, message: `${tag.raw} is not a merge tag: use letters, digits, _ and . in the name, as in {{company}}` });
    else if (!known.has(keyIdentity(tag.key))) problems.push({ tag: tag.raw, message: `${tag.raw}: no contact has an attribute "${tag.key}". Pick a tag from the list.` });
  }
  return problems;
}

/** Keys a template uses without a fallback: contacts lacking them get an empty spot. */
export function keysWithoutFallback(template: string): string[] {
  const keys = new Map<string, string>();
  for (const tag of parseMergeTags(template)) {
    if (tag.valid && !tag.fallback && !keys.has(keyIdentity(tag.key))) keys.set(keyIdentity(tag.key), tag.key);
  }
  return [...keys.values()];
}
