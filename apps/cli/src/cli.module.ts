import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@boardroom/core';
import { DOMAIN_MODULES } from '../../api/src/domain-modules.js';
import { platformModules } from '../../api/src/platform-modules.js';

/** The libs an operator command may call, without HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return { module: CliModule, imports: [...platformModules(config, databaseUrl, 'cli'), ...DOMAIN_MODULES] };
  }
}
