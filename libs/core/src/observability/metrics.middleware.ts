import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service.js';

/** Records each HTTP request when its response is finished. */
@Injectable()
export class MetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // The matched route, not the raw URL: ids in paths would explode the label set.
      const route = (req.route as { path?: string } | undefined)?.path ?? req.baseUrl ?? 'unmatched';
      this.metrics.observeHttp(
        req.method,
        route || req.path,
        res.statusCode,
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  }
}
