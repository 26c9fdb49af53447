import { describe, expect, it } from "vitest";
import { listHeaders } from "../../lib/email/headers";

const unsubscribe = { "List-Unsubscribe": "<https://app.test/api/unsubscribe/t>" };

describe("listHeaders", () => {
  it("names the sender's domain in a List-Id beside List-Unsubscribe", () => {
    expect(listHeaders({ from: "Sam at Acme <sam@Acme.Example>", headers: unsubscribe })).toEqual({ "List-Id": '"Sam at Acme" <stepwise.acme.example>' });
    expect(listHeaders({ from: '"Sam \\"the\\" Man" <sam@acme.example>', headers: unsubscribe })).toEqual({ "List-Id": '"Sam \\\\\\"the\\\\\\" Man" <stepwise.acme.example>' });
    expect(listHeaders({ from: "sam@acme.example", headers: unsubscribe })).toEqual({ "List-Id": "<stepwise.acme.example>" });
  });

  it("a non-ASCII name is left out rather than encoded", () => {
    expect(listHeaders({ from: "Zoë Müller <z@acme.example>", headers: unsubscribe })).toEqual({ "List-Id": "<stepwise.acme.example>" });
  });

  it("nothing for mail that is not list mail, one that has its own List-Id, or a From without a usable domain", () => {
    expect(listHeaders({ from: "sam@acme.example", headers: {} })).toEqual({});
    expect(listHeaders({ from: "sam@acme.example", headers: { ...unsubscribe, "list-id": "<x.acme.example>" } })).toEqual({});
    expect(listHeaders({ from: "Sam <sam@acme.example>\r\nBcc: x@evil.example", headers: unsubscribe })).toEqual({});
    expect(listHeaders({ from: "Sam <sam@[127.0.0.1]>", headers: unsubscribe })).toEqual({});
  });
});
