import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { HealthRegistry } from './health.registry.js';

/** Registers the database with the readiness check. */
@Injectable()
export class DatabaseHealth implements OnModuleInit {
  constructor(
    private readonly registry: HealthRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register('database', async () => {
      await this.dataSource.query('SELECT 1');
    });
  }
}
