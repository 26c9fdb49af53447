/**
 * docs/team.md's table of who may do what is checked against the code: the
 * action catalog, whose roles the authorization matrix (tests/fault)
 * enforces on every server action. A role change in code without the docs
 * (or the reverse) fails here.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_CODES } from "../../lib/audit/actions";
import { hasRole, type Role } from "../../lib/auth/roles";
import { ACTION_CATALOG } from "../support/action-catalog";

const doc = fs.readFileSync("docs/team.md", "utf8");
const ROLES: Role[] = ["viewer", "marketer", "admin"];

/** The rows `| \`action\` | yes/no | yes/no | yes/no |` of the roles table. */
function documentedRoles(): Record<string, string[]> {
  const rows: Record<string, string[]> = {};
  for (const match of doc.matchAll(/^\| `(\w+)` \| (yes|no) \| (yes|no) \| (yes|no) \|$/gm)) rows[match[1]] = [match[2], match[3], match[4]];
  return rows;
}

describe("docs/team.md", () => {
  it("lists every role-checked action with exactly the roles the code allows", () => {
    const expected = Object.fromEntries(
      ACTION_CATALOG.filter((e) => e.access.kind === "role").map((e) => [e.exportName, ROLES.map((r) => (hasRole(r, (e.access as { role: Role }).role) ? "yes" : "no"))]),
    );
    expect(documentedRoles()).toEqual(expected);
  });

  it("names every public action and what authorizes it", () => {
    for (const entry of ACTION_CATALOG.filter((e) => e.access.kind === "public")) {
      expect(doc).toContain(`| \`${entry.exportName}\` | ${(entry.access as { by: string }).by} |`);
    }
  });

  it("lists every audited action code", () => {
    for (const code of AUDIT_ACTION_CODES) expect(doc).toContain(`\`${code}\``);
  });
});
