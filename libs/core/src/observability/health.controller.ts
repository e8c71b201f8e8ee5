import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthRegistry } from './health.registry.js';

@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  /** Liveness: the process answers. */
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the database and storage answer; 503 otherwise, naming what failed. */
  @Get('ready')
  async ready(@Res() res: Response): Promise<void> {
    const result = await this.registry.run(3000);
    res.status(result.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({
      status: result.ready ? 'ready' : 'not ready',
      checks: result.checks,
    });
  }
}
