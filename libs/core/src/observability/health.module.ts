import { Global, Module } from '@nestjs/common';
import { DatabaseHealth } from './database.health.js';
import { HealthController } from './health.controller.js';
import { HealthRegistry } from './health.registry.js';

@Global()
@Module({
  controllers: [HealthController],
  providers: [HealthRegistry, DatabaseHealth],
  exports: [HealthRegistry],
})
export class HealthModule {}
