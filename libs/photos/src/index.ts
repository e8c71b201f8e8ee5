export * from './dto/photo.dto.js';
export * from './photo-earnings.js';
export * from './photo.record.js';
export * from './photos.module.js';
export * from './photos.service.js';
export * from './loaders.js';
