import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@boardroom/core';
import { DOMAIN_MODULES } from '../../api/src/domain-modules.js';
import { platformModules } from '../../api/src/platform-modules.js';
import { SimulationModule } from './simulate/simulation.module.js';

/** The libs an operator command may call, without HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return { module: CliModule, imports: [...platformModules(config, databaseUrl, 'cli'), ...DOMAIN_MODULES] };
  }

  /**
   * The same, on simulated time ending at `end` and with a fast insecure password hasher: only for
   * `simulate` and `seed`, which write made-up worlds.
   */
  static forSimulation(config: AppConfig, databaseUrl: string, end: Date): DynamicModule {
    const context = CliModule.forRoot(config, databaseUrl);
    return { ...context, imports: [...context.imports!, SimulationModule.forRoot(end)] };
  }
}
