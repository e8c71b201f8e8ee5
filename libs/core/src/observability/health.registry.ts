import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void>;
export type CheckResult = { ok: boolean; error?: string };

/** What `/health/ready` checks; each module that depends on something outside registers it. */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Runs every check at once, each bounded by `timeoutMs`. */
  async run(timeoutMs: number): Promise<{ ready: boolean; checks: Record<string, { ok: boolean; error?: string }> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            check(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
            }),
          ]);
          return [name, { ok: true }] as [string, CheckResult];
        } catch (error) {
          return [name, { ok: false, error: (error as Error).message }] as [string, CheckResult];
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const checks: Record<string, CheckResult> = Object.fromEntries(entries);
    return { ready: entries.every(([, result]) => result.ok), checks };
  }
}
