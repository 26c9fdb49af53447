/** The shared filter-page parameters refuse malformed days as a value, never by throwing. */
import { describe, expect, it } from "vitest";
import { ZDay } from "../../lib/validations/query-params";

describe("ZDay", () => {
  it("accepts a real calendar day", () => {
    expect(ZDay.safeParse("2026-03-01")).toMatchObject({ success: true, data: "2026-03-01" });
  });

  it.each(["1e309", "1x", "2026-02-30", "0000-01-01", "9999-12-31", "2026-13-01", ""])("refuses %j with an error, without throwing", (value) => {
    const result = ZDay.safeParse(value);
    expect(result.success).toBe(false);
  });
});
