/**
 * The time as the product sees it. Inject `Clock` instead of calling
 * `new Date()` so that tests (and the game's scheduled slots) can set the time.
 */
export abstract class Clock {
  abstract now(): Date;
}

/** The real wall clock. */
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
