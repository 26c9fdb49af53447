/**
 * fast-check arbitraries for malformed, oversized and hostile input: wrong
 * types, huge strings, SQL and HTML injection, template and header
 * injection, and unicode edge cases (NUL, lone surrogates, RTL overrides,
 * zero-width characters, emoji sequences, combining marks).
 */
import fc from "fast-check";

const PAYLOADS = [
  "'; DROP TABLE \"Contact\"; --",
  "\" OR 1=1 --",
  "1' OR '1'='1",
  "%' OR email LIKE '%",
  "\\",
  "%_%",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "\"><svg onload=alert(1)>",
  "javascript:alert(1)",
  "{{firstName}}",
  "{{ constructor.constructor('return process')() }}",
  "${process.env.AUTH_SECRET}",
  "__proto__",
  "constructor",
  "Subject: x\r\nBcc: victim@example.com",
  "../../../../etc/passwd",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "x\uDC00y",
  "\uDBFF\uDBFF",
  "\u202Eevil.exe\u202C",
  "\u200B\u200C\u200D\uFEFF",
  "👨‍👩‍👧‍👦🏳️‍🌈",
  "Z̷̢̛̛͎̹a̸̡͓l̵͎̈́g̶̱̈o̶͇̍",
  "ﷺ",
  "𝕳𝖊𝖑𝖑𝖔",
  "\t\n\r\v\f",
  " ",
  "",
  "null",
  "undefined",
  "NaN",
  "-0",
  "1e309",
  "0x7fffffff",
  "00000000-0000-0000-0000-000000000000",
  "a@b",
  "ada@example.com\u0000.evil",
  "ADA@EXAMPLE.COM",
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** A hostile string: a known payload, random unicode with surrogates and controls, or something huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PAYLOADS) },
  { weight: 2, arbitrary: fc.string({ unit: fc.oneof(fc.constantFrom("\u0000", "\u202E", "<", "'", "\"", "%", "\\"), loneSurrogate, fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), maxLength: 40 }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...PAYLOADS), fc.string({ unit: "grapheme", maxLength: 20 })).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: fc.constantFrom(10_001, 70_000, 1_100_000).chain((n) => fc.constantFrom("x", "é", "😀", "<", "\u0000").map((ch) => ch.repeat(n))) },
);

/** A value of the wrong type (or an absurd one of the right type). */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -0, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 31) - 1, 1e308),
  fc.constantFrom([], {}, [null], { length: 1 }, { toString: "x" }, new Date(0), [[[[[]]]]]),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
  fc.integer(),
  fc.double(),
  fc.bigInt(),
);

/** Anything a hostile client could put where a field goes. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 2, arbitrary: wrongType });

/** JSON-safe hostile values (what can arrive in a request body). */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, [], {}, [null], [[[[[]]]]]) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }) },
);

type Json = unknown;

function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (value && typeof value === "object") return [prefix, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  return [prefix];
}

/** Text PostgreSQL refuses: a NUL byte, a lone high and a lone low surrogate. */
export const UNSTORABLE = ["a\u0000b", "a\uD800", "\uDC00b"];

/** The paths of every string in `value`. */
export function stringPaths(value: Json): (string | number)[][] {
  return pathsOf(value).filter((path) => typeof path.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)[key], value) === "string");
}

export function setPath(value: Json, path: (string | number)[], replacement: unknown): Json {
  return setAt(value, path, replacement);
}

function setAt(value: Json, path: (string | number)[], replacement: unknown): Json {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head] = setAt(copy[head], rest, replacement);
  return copy;
}

function deleteAt(value: Json, path: (string | number)[]): Json {
  if (path.length === 0) return undefined;
  // An earlier mutation may have replaced what this path went through.
  if (!value || typeof value !== "object") return value;
  if (path.length === 1) {
    if (Array.isArray(value)) return value.filter((_, i) => i !== path[0]);
    const { [path[0]]: _dropped, ...rest } = value as Record<string | number, unknown>;
    return rest;
  }
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head] = deleteAt(copy[head], rest);
  return copy;
}

/**
 * A valid input made hostile in one to three places: a field replaced by a
 * hostile value, removed, or joined by an unexpected one.
 */
export function mutationsOf(valid: Json, values: fc.Arbitrary<unknown> = hostileValue): fc.Arbitrary<Json> {
  const paths = pathsOf(valid);
  const mutation = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...paths), values).map(([path, v]) => (input: Json) => setAt(input, path, v)) },
    { weight: 1, arbitrary: fc.constantFrom(...paths).map((path) => (input: Json) => deleteAt(input, path)) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom("__proto__", "constructor", "id", "status", "role", "deletedAt", "extra"), values).map(([key, v]) => (input: Json) =>
        input && typeof input === "object" && !Array.isArray(input) ? { ...(input as object), [key]: v } : input,
      ),
    },
  );
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((steps) => steps.reduce((input, step) => step(input), valid));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text PostgreSQL can store: no NUL, and valid UTF-16 (no lone surrogates). */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

/**
 * What a URL's path segment can decode to: any text, NUL (%00) included, but
 * never a lone surrogate (percent-decoding yields UTF-8, which cannot encode
 * one). NULs are replaced, not removed, before the check: removed, they
 * joined lone halves around them ("\uD800\u0000\uDC00") into a valid pair.
 */
export function decodableFromUrl(value: string): boolean {
  return !LONE_SURROGATE.test(value.replaceAll("\u0000", "x"));
}
