export * from './brand.record.js';
export * from './brands.module.js';
export * from './brands.service.js';
export * from './dto/brand.dto.js';
export * from './campaigns/campaign.record.js';
export * from './campaigns/campaigns.service.js';
