import path from 'node:path';

import { envSchema, type ParsedEnv } from './config.schema.js';

export type RateLimitSetting = { points: number; seconds: number };

/** The validated, typed configuration every part of the product reads. */
export class AppConfig {
  readonly env!: ParsedEnv['NODE_ENV'];
  readonly production!: boolean;
  readonly host!: string;
  readonly port!: number;
  readonly workerPort!: number;
  readonly publicUrl!: string;
  /** Web origins whose pages may call the API from a browser (CORS); the public URL's by default. */
  readonly corsOrigins!: string[];
  readonly dataDir!: string;
  readonly logLevel!: ParsedEnv['LOG_LEVEL'];
  readonly trustProxy!: boolean | number | string;
  readonly database!: {
    /** null: the embedded PGlite database in `dataDir`. */
    url: string | null;
    poolSize: number;
    statementTimeoutMs: number;
    embeddedPort: number;
  };
  readonly storage!:
    | { driver: 'local'; dir: string }
    | {
        driver: 's3';
        bucket: string;
        endpoint: string | undefined;
        region: string;
        accessKeyId: string | undefined;
        secretAccessKey: string | undefined;
        forcePathStyle: boolean;
        /** The endpoint browsers reach, for presigned URLs; defaults to `endpoint`. */
        publicEndpoint: string | undefined;
      };
  readonly media!: {
    /** How long a photo URL handed to a client stays valid. */
    urlTtlSeconds: number;
    /** Key signing local-storage URLs; null: generated into DATA_DIR. */
    urlSecret: string | null;
  };
  readonly redisUrl!: string | null;
  readonly jobs!: {
    inApi: boolean;
    concurrency: number;
    pollIntervalMs: number;
    leaseSeconds: number;
    /** Events consumers this process does not run (they keep their positions and catch up once resumed). */
    pausedConsumers: string[];
  };
  readonly uploads!: { maxBytes: number; maxPixels: number; minSide: number };
  readonly graphql!: { maxDepth: number; maxAliases: number; maxCost: number };
  readonly rateLimits!: {
    graphql: RateLimitSetting;
    signup: RateLimitSetting | null;
    loginFailures: RateLimitSetting;
    uploads: RateLimitSetting;
    comments: RateLimitSetting;
    reports: RateLimitSetting;
    proposals: RateLimitSetting;
  };
  readonly auth!: {
    /** Signing keys, the first signs; null: generated into DATA_DIR (not in production with a server). */
    jwtKeys: { kid: string; secret: string }[] | null;
    /** Addresses that become ADMIN once verified, lower-cased. */
    adminEmails: string[];
  };
  readonly mail!: { smtpUrl: string | null; from: string };
  readonly fingerprintSecret!: string | null;
  /** The combined suspicion (0..1) of an account's detector flags at which its new credit is withheld. */
  readonly withholdScore!: number;
  readonly research!: {
    /** Encrypts the research projects' pseudonym keys; null: a key generated into DATA_DIR/secrets. */
    keySecret: string | null;
    /** Every published combination of quasi-identifiers is shared by at least this many accounts. */
    k: number;
    /** The data-use terms written into each export's README; null: the default terms. */
    dataUseTerms: string | null;
    /**
     * Differentially private daily counts in each export: the privacy budget per cell (null: off), and
     * the events of one account a cell counts at most (the Laplace noise's sensitivity).
     */
    dpEpsilon: number | null;
    dpMaxEventsPerCell: number;
    /**
     * Research exports run in a process of their own whose V8 heap is capped at this many MB, so an
     * export's memory stays flat whatever its size and never grows the worker; 0: in the worker itself.
     */
    exportHeapMb: number;
  };
  /** Days personal data is kept after it stops being needed; the daily retention job purges what is older. */
  readonly retention!: {
    /** Events' fingerprint hashes, and the detectors' record of which accounts shared one. */
    fingerprintDays: number;
    /** Expired or ended refresh tokens, sessions, email tokens and rate-limit windows (0: as soon as expired). */
    expiredTokenDays: number;
    /** Finished export archives (research exports and personal data downloads). */
    exportArchiveDays: number;
    /** The files of photos deleted by their owner or removed by a moderator. */
    removedOriginalDays: number;
  };
  readonly shutdownTimeoutMs!: number;

  get embedded(): boolean {
    return this.database.url === null;
  }
}

/** Thrown when the environment is invalid; its message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n') +
        '\nSee .env.example for every variable and its format.',
    );
    this.name = 'ConfigError';
  }
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** Empty strings count as unset, as most deployment tools write them. */
function withoutEmpty(env: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
}

export function loadConfig(env: Record<string, unknown> = process.env): AppConfig {
  const result = envSchema.safeParse(withoutEmpty(env));
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        variable: issue.path.join('.') || '(environment)',
        message: issue.message,
      })),
    );
  }
  const e = result.data;
  const problems: { variable: string; message: string }[] = [];
  if (e.S3_BUCKET && Boolean(e.S3_ACCESS_KEY_ID) !== Boolean(e.S3_SECRET_ACCESS_KEY)) {
    problems.push({
      variable: e.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID',
      message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together',
    });
  }
  if (e.NODE_ENV === 'production' && !e.JWT_SIGNING_KEYS && e.DATABASE_URL) {
    problems.push({ variable: 'JWT_SIGNING_KEYS', message: 'required in production with a database server' });
  }
  if (e.NODE_ENV === 'production' && !e.FINGERPRINT_SECRET && e.DATABASE_URL) {
    problems.push({
      variable: 'FINGERPRINT_SECRET',
      message: 'required in production with a database server (32+ random characters)',
    });
  }
  if (e.NODE_ENV === 'production' && !e.RESEARCH_KEY_SECRET && e.DATABASE_URL) {
    problems.push({
      variable: 'RESEARCH_KEY_SECRET',
      message: 'required in production with a database server (32+ random characters)',
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const config: AppConfig = Object.assign(Object.create(AppConfig.prototype) as AppConfig, {
    env: e.NODE_ENV,
    production: e.NODE_ENV === 'production',
    host: e.HOST,
    port: e.PORT,
    workerPort: e.WORKER_PORT,
    publicUrl,
    corsOrigins: e.CORS_ORIGINS
      ? e.CORS_ORIGINS.split(',').map((origin) => origin.trim())
      : [new URL(publicUrl).origin],
    dataDir,
    logLevel: e.LOG_LEVEL,
    trustProxy: parseTrustProxy(e.TRUST_PROXY.trim()),
    database: {
      url: e.DATABASE_URL ?? null,
      poolSize: e.DATABASE_POOL_SIZE,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      embeddedPort: e.EMBEDDED_DATABASE_PORT,
    },
    storage: e.S3_BUCKET
      ? {
          driver: 's3' as const,
          bucket: e.S3_BUCKET,
          endpoint: e.S3_ENDPOINT,
          region: e.S3_REGION,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          forcePathStyle: e.S3_FORCE_PATH_STYLE,
          publicEndpoint: e.S3_PUBLIC_ENDPOINT,
        }
      : { driver: 'local' as const, dir: path.resolve(e.STORAGE_DIR ?? path.join(dataDir, 'storage')) },
    redisUrl: e.REDIS_URL ?? null,
    jobs: {
      inApi: e.JOBS_IN_API ?? !e.DATABASE_URL,
      concurrency: e.JOBS_CONCURRENCY,
      pollIntervalMs: e.JOBS_POLL_INTERVAL_MS,
      leaseSeconds: e.JOBS_LEASE_SECONDS,
      pausedConsumers: e.EVENT_CONSUMERS_PAUSED?.split(',') ?? [],
    },
    media: { urlTtlSeconds: e.MEDIA_URL_TTL_SECONDS, urlSecret: e.MEDIA_URL_SECRET ?? null },
    uploads: { maxBytes: e.UPLOAD_MAX_BYTES, maxPixels: e.UPLOAD_MAX_PIXELS, minSide: e.UPLOAD_MIN_SIDE },
    graphql: { maxDepth: e.GRAPHQL_MAX_DEPTH, maxAliases: e.GRAPHQL_MAX_ALIASES, maxCost: e.GRAPHQL_MAX_COST },
    rateLimits: {
      graphql: e.RATE_LIMIT_GRAPHQL,
      signup: e.SIGNUPS_PER_IP_PER_HOUR > 0 ? { points: e.SIGNUPS_PER_IP_PER_HOUR, seconds: 3600 } : null,
      loginFailures: e.LOGIN_LOCKOUT,
      uploads: e.RATE_LIMIT_UPLOADS,
      comments: e.RATE_LIMIT_COMMENTS,
      reports: e.RATE_LIMIT_REPORTS,
      proposals: e.RATE_LIMIT_PROPOSALS,
    },
    auth: {
      jwtKeys: e.JWT_SIGNING_KEYS
        ? e.JWT_SIGNING_KEYS.split(',').map((pair) => {
            const [kid, secret] = pair.split(/:(.*)/s) as [string, string];
            return { kid, secret };
          })
        : null,
      adminEmails: (e.ADMIN_EMAILS ?? '')
        .split(',')
        .map((address) => address.trim().toLowerCase())
        .filter(Boolean),
    },
    mail: { smtpUrl: e.SMTP_URL ?? null, from: e.MAIL_FROM },
    fingerprintSecret: e.FINGERPRINT_SECRET ?? null,
    withholdScore: e.AUTHENTICITY_WITHHOLD_SCORE,
    research: {
      keySecret: e.RESEARCH_KEY_SECRET ?? null,
      k: e.RESEARCH_K_ANONYMITY,
      dataUseTerms: e.RESEARCH_DATA_USE_TERMS ?? null,
      dpEpsilon: e.RESEARCH_DP_EPSILON ?? null,
      dpMaxEventsPerCell: e.RESEARCH_DP_MAX_EVENTS,
      exportHeapMb: e.RESEARCH_EXPORT_HEAP_MB,
    },
    retention: {
      fingerprintDays: e.RETENTION_FINGERPRINT_DAYS,
      expiredTokenDays: e.RETENTION_EXPIRED_TOKEN_DAYS,
      exportArchiveDays: e.RETENTION_EXPORT_ARCHIVE_DAYS,
      removedOriginalDays: e.RETENTION_REMOVED_ORIGINAL_DAYS,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  });
  return Object.freeze(config);
}

/** The variable names the schema knows, for the `.env.example` check. */
export const knownVariables = Object.keys(envSchema.shape);
