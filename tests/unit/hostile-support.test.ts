import { describe, expect, it } from "vitest";
import { decodableFromUrl } from "../support/hostile";

describe("decodableFromUrl (the hostile route suites' filter for path parameters)", () => {
  it("keeps what a percent-decoded segment can hold: any text, NULs included", () => {
    for (const value of ["", "abc", "\u0000", "a\u0000b", "\ud83d\ude00", "é/..%2F"]) expect(decodableFromUrl(value)).toBe(true);
  });

  it("drops lone surrogates, also when a NUL sits between two halves (once taken for a pair: a 500 from encodeURIComponent)", () => {
    for (const value of ["\ud800", "\udc00x", "\ud800\u0000\udc00", "a\udc00\u0000"]) expect(decodableFromUrl(value)).toBe(false);
  });
});
