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
