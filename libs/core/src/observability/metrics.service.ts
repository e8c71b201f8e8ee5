import type { ApolloServerPlugin } from '@apollo/server';
import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** Prometheus metrics of one process: HTTP requests, GraphQL operations, jobs. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route and status, with their latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly graphqlDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operations by name, type and outcome, with their latency',
    labelNames: ['operation', 'type', 'outcome'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly graphqlErrors = new Counter({
    name: 'graphql_errors_total',
    help: 'GraphQL errors by extensions.code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  private readonly jobDuration = new Histogram({
    name: 'job_duration_seconds',
    help: 'Background jobs by name and outcome (done, retry, failed), with their run time',
    labelNames: ['job', 'outcome'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  onJobFinished(job: string, outcome: 'done' | 'retry' | 'failed', seconds: number): void {
    this.jobDuration.observe({ job, outcome }, seconds);
  }

  /** Times every GraphQL operation; an operation with errors counts as "error". */
  graphqlPlugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => {
        const started = process.hrtime.bigint();
        return {
          willSendResponse: async ({ operation, operationName, errors }) => {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            this.graphqlDuration.observe(
              {
                operation: operationName ?? 'anonymous',
                type: operation?.operation ?? 'unknown',
                outcome: errors?.length ? 'error' : 'ok',
              },
              seconds,
            );
            for (const error of errors ?? []) {
              const code = error.extensions?.code;
              this.graphqlErrors.inc({ code: typeof code === 'string' ? code : 'UNKNOWN' });
            }
          },
        };
      },
    };
  }
}
