import { Clock } from '@boardroom/core';

/**
 * The product's clock in a simulation: the writer sets it to each planned action's time before it
 * calls the services, so events, ledger entries, caps, payroll weeks and titles happen at simulated
 * times, in order.
 */
export class SimulationClock extends Clock {
  constructor(private current: Date) {
    super();
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
}
