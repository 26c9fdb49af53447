import { describe, expect, it } from "vitest";
import { describeTagResult } from "../../components/contacts/tag-result";

const applied = (over: Partial<Parameters<typeof describeTagResult>[0]> = {}) => ({ status: "applied" as const, tagName: "VIP", added: 0, alreadyTagged: 0, enrollments: [], ...over });

describe("the message after adding a tag", () => {
  it("says a tag the contact has (in any case) is already there, not 'added'", () => {
    const message = describeTagResult(applied({ added: 0, alreadyTagged: 1 }), 1);
    expect(message).toMatchObject({ title: 'This contact already has the tag "VIP"', alreadyThere: true });
  });

  it("counts the contacts that got it and those that had it", () => {
    expect(describeTagResult(applied({ added: 3, alreadyTagged: 2 }), 5).title).toBe('Tag "VIP" added to 3 contacts (2 already had it)');
    expect(describeTagResult(applied({ added: 0, alreadyTagged: 5 }), 5).title).toBe('All 5 selected contacts already have the tag "VIP"');
  });

  it("says how many were enrolled in which sequence, and who was not", () => {
    const { title, description } = describeTagResult(
      applied({
        added: 25,
        enrollments: [
          { sequenceId: "a", sequenceName: "Trial onboarding", enrolled: 24, alreadyEnrolled: 1, refused: 0 },
          { sequenceId: "b", sequenceName: "Webinar", enrolled: 25, alreadyEnrolled: 0, refused: 0 },
        ],
      }),
      25,
    );
    expect(title).toBe('Tag "VIP" added to 25 contacts');
    expect(description).toBe("Enrolled 24 in Trial onboarding and 25 in Webinar. Not enrolled: 1 already in Trial onboarding.");
  });
});
