import { z } from 'zod';

/** "N/S": at most N requests per S seconds, e.g. "600/60". */
const rateLimitSpec = z
  .string()
  .regex(/^\d+\/\d+$/, 'must look like "<points>/<seconds>", e.g. "600/60"')
  .transform((spec) => {
    const [points, seconds] = spec.split('/').map(Number) as [number, number];
    return { points, seconds };
  })
  .refine((limit) => limit.points > 0 && limit.seconds > 0, 'both numbers must be positive');

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const url = z.url();

/**
 * Every environment variable the product reads, with its default. `.env.example`
 * documents the same list; a test keeps the two in step.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  WORKER_PORT: port.default(3001),
  PUBLIC_URL: url.optional(),
  CORS_ORIGINS: z
    .string()
    .regex(
      /^(https?:\/\/[^\s,/]+)(\s*,\s*https?:\/\/[^\s,/]+)*$/,
      'must be a comma-separated list of origins like https://app.example.com (scheme and host, no path)',
    )
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d+|[\d.:a-fA-F/,\s]+|loopback|linklocal|uniquelocal)$/,
      'must be true, false, a hop count or a list of addresses',
    )
    .default('false'),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: positiveInt.max(100).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  EMBEDDED_DATABASE_PORT: port.default(0),

  STORAGE_DIR: z.string().min(1).optional(),
  S3_BUCKET: z.string().min(3).optional(),
  S3_ENDPOINT: url.optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
  S3_PUBLIC_ENDPOINT: url.optional(),
  MEDIA_URL_TTL_SECONDS: positiveInt.max(7 * 24 * 3600).default(3600),
  MEDIA_URL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),

  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),

  JOBS_IN_API: bool.optional(),
  JOBS_CONCURRENCY: positiveInt.max(32).default(2),
  JOBS_POLL_INTERVAL_MS: positiveInt.default(1000),
  JOBS_LEASE_SECONDS: positiveInt.default(300),
  EVENT_CONSUMERS_PAUSED: z
    .string()
    .regex(/^[a-z0-9:_.-]+(,[a-z0-9:_.-]+)*$/, 'must be consumer names separated by commas, e.g. "awards,invites"')
    .optional(),

  UPLOAD_MAX_BYTES: positiveInt.default(15 * 1024 * 1024),
  UPLOAD_MAX_PIXELS: positiveInt.max(40_000_000).default(40_000_000),
  UPLOAD_MIN_SIDE: positiveInt.max(4096).default(200),

  GRAPHQL_MAX_DEPTH: positiveInt.default(8),
  GRAPHQL_MAX_ALIASES: positiveInt.default(15),
  GRAPHQL_MAX_COST: positiveInt.default(5000),

  RATE_LIMIT_GRAPHQL: rateLimitSpec.default({ points: 600, seconds: 60 }),

  RATE_LIMIT_UPLOADS: rateLimitSpec.default({ points: 30, seconds: 3600 }),
  RATE_LIMIT_COMMENTS: rateLimitSpec.default({ points: 60, seconds: 600 }),
  RATE_LIMIT_REPORTS: rateLimitSpec.default({ points: 20, seconds: 3600 }),
  RATE_LIMIT_PROPOSALS: rateLimitSpec.default({ points: 10, seconds: 86400 }),

  SIGNUPS_PER_IP_PER_HOUR: z.coerce.number().int().min(0).default(20),
  LOGIN_LOCKOUT: rateLimitSpec.default({ points: 5, seconds: 900 }),

  JWT_SIGNING_KEYS: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{32,}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{32,})?$/,
      'must be "<kid>:<secret of 32+ characters>", optionally ",<previous kid>:<previous secret>"',
    )
    .optional(),
  ADMIN_EMAILS: z.string().optional(),

  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Boardroom <no-reply@boardroom.local>'),

  FINGERPRINT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTHENTICITY_WITHHOLD_SCORE: z.coerce.number().min(0.5).max(1).default(0.8),
  RESEARCH_KEY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  RESEARCH_K_ANONYMITY: positiveInt.max(100).default(5),
  RESEARCH_DATA_USE_TERMS: z.string().min(1).optional(),
  RESEARCH_DP_EPSILON: z.coerce.number().positive().max(10).optional(),
  RESEARCH_DP_MAX_EVENTS: positiveInt.max(1000).default(5),
  RESEARCH_EXPORT_HEAP_MB: z.coerce.number().int().min(0).max(65536).default(160),
  RETENTION_FINGERPRINT_DAYS: positiveInt.max(3650).default(90),
  RETENTION_EXPIRED_TOKEN_DAYS: z.coerce.number().int().min(0).max(3650).default(0),
  RETENTION_EXPORT_ARCHIVE_DAYS: positiveInt.max(3650).default(7),
  RETENTION_REMOVED_ORIGINAL_DAYS: positiveInt.max(3650).default(30),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
});

export type Env = z.input<typeof envSchema>;
export type ParsedEnv = z.output<typeof envSchema>;
