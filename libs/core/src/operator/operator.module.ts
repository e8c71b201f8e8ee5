import { Global, Module } from '@nestjs/common';
import { LedgerChecks } from './ledger-checks.js';
import { Seeders } from './seeders.js';

/** Registries of the operator's commands that the domain libs fill. */
@Global()
@Module({ providers: [LedgerChecks, Seeders], exports: [LedgerChecks, Seeders] })
export class OperatorModule {}
