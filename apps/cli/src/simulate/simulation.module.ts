import { Global, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { AccountsModule, SIMULATION_PASSWORD_HASHER } from '@boardroom/accounts';
import { BrandsModule } from '@boardroom/brands';
import { Clock, SIMULATION_CLOCK, Seeders } from '@boardroom/core';
import { PhotosModule } from '@boardroom/photos';
import { FastInsecurePasswordHasher } from './fast-insecure-password-hasher.js';
import { noFraud } from './fraud-mix.js';
import { SimulationClock } from './simulation-clock.js';
import { planWorld, type WorldParameters } from './world-plan.js';
import { WorldWriter } from './world-writer.js';

/**
 * What replaces the product's own in a simulation: the settable clock and the fast hasher. Global,
 * so the product's modules find them where they look (ClockModule, AccountsModule); nothing else
 * imports this, so no other process can run on them.
 */
@Global()
@Module({})
class SimulationOverridesModule {
  static forClock(clock: SimulationClock): DynamicModule {
    return {
      module: SimulationOverridesModule,
      providers: [
        { provide: SIMULATION_CLOCK, useValue: clock },
        { provide: SIMULATION_PASSWORD_HASHER, useClass: FastInsecurePasswordHasher },
      ],
      exports: [SIMULATION_CLOCK, SIMULATION_PASSWORD_HASHER],
    };
  }
}

/** The demo world of `npm run cli -- seed --size N`: organic only, two weeks, through the simulation. */
export function seedWorldParameters(size: number, end: Date): WorldParameters {
  return { users: size, brands: Math.max(3, Math.round(size / 25)), days: 14, fraud: noFraud(), seed: 1, end };
}

/** Registers the organic world as the seed command's seeder. */
@Injectable()
class WorldSeeder implements OnModuleInit {
  constructor(
    private readonly seeders: Seeders,
    private readonly writer: WorldWriter,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // The clock starts at the world's end (the command sets it); the plan is read once per size.
    const plans = new Map<number, ReturnType<typeof planWorld>>();
    const plan = (size: number) => {
      if (!plans.has(size)) plans.set(size, planWorld(seedWorldParameters(size, this.clock.now())));
      return plans.get(size)!;
    };
    this.seeders.register({
      name: 'Simulated organic world',
      steps: (size) => plan(size).actions.length,
      run: async (size, step) => void (await this.writer.write(plan(size), step)),
    });
  }
}

/** The writer of simulated worlds and the overrides it needs; see CliModule.forSimulation. */
@Module({})
export class SimulationModule {
  static forRoot(end: Date): DynamicModule {
    return {
      module: SimulationModule,
      imports: [
        SimulationOverridesModule.forClock(new SimulationClock(end)),
        AccountsModule,
        BrandsModule,
        PhotosModule,
      ],
      providers: [WorldWriter, WorldSeeder],
      exports: [WorldWriter],
    };
  }
}
