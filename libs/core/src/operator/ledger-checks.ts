import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Registry } from './registry.js';

/** One projection that must equal its ledger; `differences` lists every row where it does not. */
export interface LedgerCheck {
  name: string;
  differences(manager: EntityManager): Promise<string[]>;
}

/** The checks `npm run cli -- check-ledger` runs; each ledger-owning lib registers its own. */
@Injectable()
export class LedgerChecks extends Registry<LedgerCheck> {}
