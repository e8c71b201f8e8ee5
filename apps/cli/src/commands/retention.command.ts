import type { Command } from 'commander';
import { RetentionPolicy } from '@boardroom/research';
import { withContext, withDatabase } from '../cli-database.js';
import { CliModule } from '../cli.module.js';

export function registerRetentionCommand(program: Command): void {
  program
    .command('retention')
    .description(
      'Run the daily retention purge now (the job retention.purge): forget event fingerprints older than RETENTION_FINGERPRINT_DAYS; delete expired tokens, ended sessions, expired rate-limit windows and finished jobs (RETENTION_EXPIRED_TOKEN_DAYS); delete export archives older than RETENTION_EXPORT_ARCHIVE_DAYS (their jobs become EXPIRED) and the files of photos deleted or removed more than RETENTION_REMOVED_ORIGINAL_DAYS ago. Prints what it purged; exit 1 if storage refused a deletion. Safe to run again; works with the server running.',
    )
    .action(() =>
      withDatabase((database, config) =>
        withContext(CliModule.forRoot(config, database.url), async (context) => {
          const summary = await context.get(RetentionPolicy).purge();
          console.log(`Event fingerprints forgotten:        ${summary.fingerprints}`);
          console.log(`Fingerprint accounts deleted:        ${summary.fingerprintAccounts}`);
          console.log(`Refresh tokens deleted:              ${summary.refreshTokens}`);
          console.log(`Sessions deleted:                    ${summary.sessions}`);
          console.log(`Email tokens deleted:                ${summary.emailTokens}`);
          console.log(`Rate-limit windows deleted:          ${summary.rateLimits}`);
          console.log(`Finished jobs deleted:               ${summary.jobs}`);
          console.log(`Export archives deleted (EXPIRED):   ${summary.archives}`);
          console.log(`Removed photos' files deleted:       ${summary.photos}`);
          if (summary.failures > 0) {
            console.log(`Files storage failed to delete:      ${summary.failures} (see the log; run again later)`);
            process.exitCode = 1;
          }
        }),
      ),
    );
}
