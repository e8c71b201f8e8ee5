import { registerEnumType } from '@nestjs/graphql';

export enum Role {
  CONSUMER = 'CONSUMER',
  BRAND_MANAGER = 'BRAND_MANAGER',
  MODERATOR = 'MODERATOR',
  RESEARCHER = 'RESEARCHER',
  ADMIN = 'ADMIN',
}

registerEnumType(Role, { name: 'Role' });

/** Roles an operator grants with `npm run cli -- grant-role` (BRAND_MANAGER comes from approved claims). */
export const GRANTABLE_ROLES = [Role.MODERATOR, Role.RESEARCHER, Role.ADMIN] as const;

/** Moderators and admins: they see content in every state, a banned user's too. */
export function isStaff(viewer: { roles: readonly Role[] } | null): boolean {
  return viewer !== null && viewer.roles.some((role) => role === Role.ADMIN || role === Role.MODERATOR);
}
