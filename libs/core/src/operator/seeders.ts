import { Injectable } from '@nestjs/common';
import { Registry } from './registry.js';

/** A part of the demo world; `run` reports each finished step so the CLI can show progress. */
export interface Seeder {
  name: string;
  /** How many steps `run` will report for this size of world. */
  steps(size: number): number;
  run(size: number, step: () => void): Promise<void>;
}

/** The seeders `npm run cli -- seed` runs, in registration order (later libs build on earlier ones). */
@Injectable()
export class Seeders extends Registry<Seeder> {}
