/**
 * Roles, least to most powerful. Viewers read; marketers build sequences and
 * manage contacts; admins also manage users and API keys.
 */
import type { Role } from "../generated/prisma/enums";

export type { Role };

const RANK: Record<Role, number> = { viewer: 0, marketer: 1, admin: 2 };

export function hasRole(role: Role, atLeast: Role): boolean {
  return RANK[role] >= RANK[atLeast];
}

export const ROLE_LABELS: Record<Role, string> = {
  viewer: "Viewer (read-only)",
  marketer: "Marketer",
  admin: "Admin",
};
