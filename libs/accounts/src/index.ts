export * from './accounts.module.js';
export * from './auth/auth.decorators.js';
export * from './roles.js';
export * from './users/dto/user.dto.js';
export * from './users/user.record.js';
export * from './users/users.service.js';
