import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock.js';

/**
 * The clock that replaces the wall clock in a simulation, provided only by the CLI's simulation
 * context (`npm run cli -- simulate`). No setting reaches it: a process that does not build that
 * context cannot run on simulated time.
 */
export const SIMULATION_CLOCK = Symbol('SIMULATION_CLOCK');

/** Provides `Clock` everywhere; tests replace it with `overrideProvider(Clock)`. */
@Global()
@Module({
  providers: [
    {
      provide: Clock,
      useFactory: (simulated?: Clock) => simulated ?? new SystemClock(),
      inject: [{ token: SIMULATION_CLOCK, optional: true }],
    },
  ],
  exports: [Clock],
})
export class ClockModule {}
