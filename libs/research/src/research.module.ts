import { Module } from '@nestjs/common';
import { BrandsModule } from '@boardroom/brands';
import { PhotosModule } from '@boardroom/photos';
import { ExportSourceRepository } from './export/export-source.repository.js';
import { ExportRunner } from './export/export-runner.js';
import { ResearchExporter } from './export/research-exporter.js';
import { ExportJobsRepository } from './jobs/export-jobs.repository.js';
import { ExportJobsResolver } from './jobs/export-jobs.resolver.js';
import { ExportJobs } from './jobs/export-jobs.service.js';
import { PersonalDataExport } from './personal/personal-data-export.js';
import { PersonalDataRepository } from './personal/personal-data.repository.js';
import { ResearchProjects } from './projects/research-projects.js';
import { RetentionPolicy } from './retention/retention-policy.js';
import { RetentionRepository } from './retention/retention.repository.js';

/**
 * Pseudonymized research exports (Parquet, CSV, JSON Lines) and a person's own data downloads, run as jobs on
 * the worker (research exports from the CLI too), and the daily retention purge of personal data.
 */
@Module({
  imports: [BrandsModule, PhotosModule],
  providers: [
    PersonalDataRepository,
    PersonalDataExport,
    ExportSourceRepository,
    ResearchExporter,
    ExportRunner,
    ResearchProjects,
    ExportJobsRepository,
    ExportJobs,
    ExportJobsResolver,
    RetentionRepository,
    RetentionPolicy,
  ],
  exports: [ResearchExporter, ExportRunner, ResearchProjects, ExportJobs, RetentionPolicy],
})
export class ResearchModule {}
