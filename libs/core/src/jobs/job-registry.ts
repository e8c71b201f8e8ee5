import { Injectable } from '@nestjs/common';
import type { JobHandler, JobName } from './job-types.js';

/**
 * The handlers this process can run. Libs register theirs in `onModuleInit`;
 * the runner claims only jobs whose names are registered here, so an api
 * process without some handlers never takes those jobs from a worker.
 */
@Injectable()
export class JobRegistry {
  private readonly handlers = new Map<string, JobHandler>();

  register<N extends JobName>(name: N, handler: JobHandler<N>): void {
    // Two handlers for one name would make which one runs depend on module order.
    if (this.handlers.has(name)) throw new Error(`A handler for job "${name}" is already registered`);
    this.handlers.set(name, handler as unknown as JobHandler);
  }

  handlerFor<N extends JobName>(name: N): JobHandler<N> | undefined {
    return this.handlers.get(name);
  }

  names(): string[] {
    return [...this.handlers.keys()];
  }
}
