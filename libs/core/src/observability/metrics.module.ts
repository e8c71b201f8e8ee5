import { Global, Module } from '@nestjs/common';
import { JobObserver } from '../jobs/job-types.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsMiddleware } from './metrics.middleware.js';
import { MetricsService } from './metrics.service.js';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, MetricsMiddleware, { provide: JobObserver, useExisting: MetricsService }],
  exports: [MetricsService, MetricsMiddleware, JobObserver],
})
export class MetricsModule {}
