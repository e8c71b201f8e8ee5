export * from './brand.record.js';
export * from './brands.module.js';
export * from './brands.service.js';
export * from './dto/brand.dto.js';
