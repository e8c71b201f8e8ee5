import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfigModule, ClockModule, DatabaseModule, type AppConfig } from '@boardroom/core';
import { ExportSourceRepository } from './export-source.repository.js';
import { ResearchExporter } from './research-exporter.js';

/** What the export process loads: the config, a small pool and the exporter; none of the domain modules. */
@Module({})
export class ExportProcessModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: ExportProcessModule,
      imports: [
        AppConfigModule.forRoot(config),
        ClockModule,
        DatabaseModule.forRoot({
          url: databaseUrl,
          // The export reads one batch at a time, and the progress reports go through the parent.
          poolSize: 2,
          statementTimeoutMs: config.database.statementTimeoutMs,
          applicationName: 'export',
          // Each keyset batch is planned above jit_above_cost, and compiling it (28 ms) took longer than
          // running it: a fifth of the export's database time.
          jit: false,
        }),
      ],
      providers: [ExportSourceRepository, ResearchExporter],
      exports: [ResearchExporter],
    };
  }
}
