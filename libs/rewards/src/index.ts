export * from './dto/create-offer.input.js';
export * from './dto/offer.dto.js';
export * from './offer-unlocks.js';
export * from './offer.record.js';
export * from './offers.service.js';
export * from './redeem-eligibility.js';
export * from './redemption-code.js';
export * from './rewards.module.js';
