import type { DataSource, EntityManager } from 'typeorm';

/** SQLSTATEs after which the whole transaction may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01']);

export interface TransactionOptions {
  /** Attempts in all, including the first. */
  attempts?: number;
  isolation?: 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';
}

export function sqlState(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isRetryable(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && RETRYABLE.has(code);
}

/**
 * Runs `work` in one transaction and runs it again, a bounded number of times,
 * on a serialization failure or deadlock. `work` must do all its SQL through
 * the manager it is given: on PGlite a query on another connection while this
 * transaction is open waits forever.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      // Without an explicit level PostgreSQL's default (READ COMMITTED) applies, and
      // TypeORM saves the round trip of a SET TRANSACTION ISOLATION LEVEL.
      return await (options.isolation ? dataSource.transaction(options.isolation, work) : dataSource.transaction(work));
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      // Jittered back-off so that two colliding transactions do not collide again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
