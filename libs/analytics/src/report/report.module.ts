import { Module } from '@nestjs/common';
import { AccountsModule } from '@boardroom/accounts';
import { BrandsModule } from '@boardroom/brands';
import { AuthenticityReportResolver, SuspiciousClusterResolver } from './report.resolver.js';
import { ReportRepository } from './report.repository.js';
import { ReportService } from './report.service.js';

/** The per-brand authenticity reports: the `analytics.report` job and the `authenticityReport` query. */
@Module({
  imports: [AccountsModule, BrandsModule],
  providers: [ReportRepository, ReportService, AuthenticityReportResolver, SuspiciousClusterResolver],
  exports: [ReportService],
})
export class AuthenticityReportModule {}
