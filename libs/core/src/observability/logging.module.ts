import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** pino JSON logs; each request line and every log inside it carries the request id. */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Trust a well-formed id from a proxy so one request can be followed across services.
            genReqId: (req: IncomingMessage, res) => {
              const given = req.headers['x-request-id'];
              const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
              res.setHeader('x-request-id', id);
              return id;
            },
            autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
              }),
            },
          },
        }),
      ],
    };
  }
}
