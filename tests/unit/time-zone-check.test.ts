import { describe, expect, it } from "vitest";
import { isValidTimeZone } from "../../lib/validations/contact-profile";

describe("isValidTimeZone (answers are remembered)", () => {
  it("gives the same answer on every call, for known and unknown names alike", () => {
    for (let round = 0; round < 3; round++) {
      expect(isValidTimeZone("Europe/Paris")).toBe(true);
      expect(isValidTimeZone("UTC")).toBe(true);
      expect(isValidTimeZone("Mars/Olympus")).toBe(false);
      expect(isValidTimeZone("")).toBe(false);
    }
  });

  it("still checks names past the remembered ones", () => {
    for (let i = 0; i < 2500; i++) isValidTimeZone(`Nowhere/Place_${i}`);
    expect(isValidTimeZone("Asia/Tokyo")).toBe(true);
    expect(isValidTimeZone("Nowhere/Else")).toBe(false);
  });
});
