import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** One projection that must equal its ledger; `differences` lists every row where it does not. */
export interface LedgerCheck {
  name: string;
  differences(manager: EntityManager): Promise<string[]>;
}

/** The checks `npm run cli -- check-ledger` runs; each ledger-owning lib registers its own. */
@Injectable()
export class LedgerChecks {
  private readonly checks: LedgerCheck[] = [];

  register(check: LedgerCheck): void {
    this.checks.push(check);
  }

  all(): readonly LedgerCheck[] {
    return this.checks;
  }
}
