import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';

const logger = new Logger('Transactions');

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

type AfterCommit = () => unknown;

/** The callbacks of each open transaction of `inTransaction`, by its manager (one list per attempt). */
const afterCommitCallbacks = new WeakMap<EntityManager, AfterCommit[]>();

/**
 * Runs `callback` once the transaction of `manager` (one of `inTransaction`) has committed, and never if
 * it rolls back or is retried: what must not be seen before the data is (a published notification).
 * A failing callback is logged and does not undo the commit.
 */
export function afterCommit(manager: EntityManager, callback: AfterCommit): void {
  const callbacks = afterCommitCallbacks.get(manager);
  if (!callbacks) throw new Error('afterCommit needs the manager of an open inTransaction');
  callbacks.push(callback);
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
      const callbacks: AfterCommit[] = [];
      const attempt = (manager: EntityManager) => {
        afterCommitCallbacks.set(manager, callbacks);
        return work(manager);
      };
      const result = await (options.isolation
        ? dataSource.transaction(options.isolation, attempt)
        : dataSource.transaction(attempt));
      for (const callback of callbacks) {
        try {
          await callback();
        } catch (error) {
          logger.error({ err: error }, `An after-commit callback failed: ${String(error)}`);
        }
      }
      return result;
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      // Jittered back-off so that two colliding transactions do not collide again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
