import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ExportJobs, type ExportFormat } from '@boardroom/research';
import { withContext, withDatabase } from '../cli-database.js';
import { CliModule } from '../cli.module.js';
import { progressBar } from '../progress.js';

const FORMATS = ['parquet', 'csv', 'jsonl'];

function dateOption(name: string, value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new Error(`--${name} must be a date or time, e.g. 2026-11-01 or 2026-11-01T12:00:00Z`);
  return date;
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      'Write a pseudonymized research export (events, accounts, brands, invites, duplicate clusters, with datapackage.json, README.md and SHA256SUMS) into a folder: the same files as requestResearchExport. Works with the server running.',
    )
    .requiredOption('--from <date>', 'start of the window, inclusive (e.g. 2026-11-01)')
    .requiredOption('--to <date>', 'end of the window, exclusive (e.g. 2026-12-01)')
    .option('--brands <slugs>', 'only these brands, by slug, separated by commas')
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'parquet')
    .option('--project <name>', "the operator's research project: exports of one project share pseudonyms", 'default')
    .requiredOption('--out <dir>', 'an empty or new folder for the files')
    .action((options: { from: string; to: string; brands?: string; format: string; project: string; out: string }) =>
      withDatabase((database, config) =>
        withContext(CliModule.forRoot(config, database.url), async (context) => {
          const format = options.format.toLowerCase();
          if (!FORMATS.includes(format)) throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
          const outDir = path.resolve(options.out);
          await mkdir(outDir, { recursive: true });
          if ((await readdir(outDir)).length > 0) throw new Error(`${outDir} is not empty: give a new or empty folder`);
          // Made once the window's event count is known (the export counts it).
          const progress: { bar: ReturnType<typeof progressBar> | null } = { bar: null };
          try {
            const summary = await context.get(ExportJobs).exportToFolder(
              {
                from: dateOption('from', options.from),
                to: dateOption('to', options.to),
                brandSlugs:
                  options.brands
                    ?.split(',')
                    .map((slug) => slug.trim())
                    .filter(Boolean) ?? null,
                format: format.toUpperCase() as ExportFormat,
                project: options.project,
              },
              outDir,
              (rows, events) => {
                progress.bar ??= progressBar('export (rows)', Math.max(events, 1));
                progress.bar.update(rows);
              },
            );
            progress.bar?.stop();
            progress.bar = null;
            for (const file of summary.files) console.log(`${file.path}: ${file.rows} row(s), ${file.bytes} bytes`);
            console.log(
              `${summary.rows} row(s) in ${outDir} (project ${summary.project}; ${summary.generalizedAccounts} account row(s) generalized for k = ${summary.k}).`,
            );
          } finally {
            progress.bar?.stop();
          }
        }),
      ),
    );
}
