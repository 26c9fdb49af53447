import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clientAddress } from "../../lib/security/client-address";

describe("clientAddress", () => {
  it("takes the right-most X-Forwarded-For entry (the one the hook resolved)", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.5" }))).toBe("203.0.113.5");
    expect(clientAddress(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.5" }))).toBe("203.0.113.5");
    expect(clientAddress(new Headers({ "x-forwarded-for": "::ffff:127.0.0.1" }))).toBe("127.0.0.1");
    expect(clientAddress(new Headers({ "x-forwarded-for": "2001:db8::1" }))).toBe("2001:db8::1");
  });
  it("ignores X-Real-IP and answers unknown for anything that is not an address", () => {
    expect(clientAddress(new Headers({ "x-real-ip": "10.0.0.2" }))).toBe("unknown");
    expect(clientAddress(new Headers())).toBe("unknown");
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (value) => {
        const result = clientAddress(new Headers({ "x-forwarded-for": value.replace(/[\r\n\0]/g, "") }));
        expect(result === "unknown" || /^[0-9a-f.:]+$/i.test(result)).toBe(true);
        expect(result.length).toBeLessThanOrEqual(45);
      }),
    );
  });
});
