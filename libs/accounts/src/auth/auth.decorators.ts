import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '@boardroom/core';
import type { Role } from '../roles.js';
import type { Viewer } from '../users/user.record.js';

export const REQUIRED_ROLES = 'boardroom:required-roles';

/** The operation needs a signed-in user holding one of these roles (none given: any signed-in user). */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The operation needs a signed-in user. */
export const Authenticated = () => Roles();

/** The signed-in user of the request, or null. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Viewer | null =>
    (GqlExecutionContext.create(context).getContext<GraphQLRequestContext>().user as Viewer | null | undefined) ?? null,
);

/** The client's address and the device id it sent (X-Device-Id), for the fingerprints of account events. */
export interface ClientInfo {
  ip: string | null;
  deviceId: string | null;
}

export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientInfo => {
  const { req } = GqlExecutionContext.create(context).getContext<GraphQLRequestContext>();
  const deviceId = req.headers['x-device-id'];
  return {
    ip: req.ip ?? null,
    deviceId: typeof deviceId === 'string' && deviceId.length > 0 && deviceId.length <= 200 ? deviceId : null,
  };
});
