import type { TableSpec } from './export-tables.js';
import { MEDIA_TYPES, type ExportFormat } from './table-writers.js';

export interface ExportedFile {
  table: TableSpec;
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** What an export wrote and how: everything its descriptor and README say. */
export interface ExportSummary {
  exportId: string;
  project: string;
  format: ExportFormat;
  from: Date;
  to: Date;
  brandSlugs: readonly string[] | null;
  createdAt: Date;
  files: ExportedFile[];
  rows: number;
  k: number;
  generalizedAccounts: number;
  suppressedAccounts: number;
  dataUseTerms: string | null;
  /** The Laplace mechanism of `daily_counts`, when the operator turned it on. */
  differentialPrivacy: { epsilon: number; maxEventsPerCell: number } | null;
}

export const DEFAULT_DATA_USE_TERMS =
  'This data is provided for research only. Do not attempt to re-identify any person or account, do not combine ' +
  'it with other data to that end, do not share it beyond the project it was exported for, and delete it when the ' +
  'project ends. Report any suspected re-identification risk to the operator.';

const WITHHELD = [
  'emails, handles, display names and any other profile text',
  'internal ids (replaced by pseudonyms), IP addresses, device ids and fingerprint hashes',
  'photos, their perceptual hashes, captions, comment and proposal texts',
  'exact times (coarsened to the hour; sign-up and invite dates to the ISO week)',
  'erased accounts and their content, and accounts that did not act in the window',
];

const PSEUDONYMIZATION =
  'Every id is replaced by HMAC-SHA256(project key, "<kind>:<id>"), hex, 128 bits. The key belongs to the research ' +
  'project and stays on the server, encrypted: the same project gets the same pseudonyms in a follow-up export; ' +
  'another project, or anyone without the key, cannot link them.';

const COARSENING =
  'Event times to the start of the UTC hour; sign-up and invite acceptance to the ISO week (2026-W07).';

/** The Frictionless Data Package descriptor (tabular-data-package profile) of an export. */
export function dataPackage(summary: ExportSummary): Record<string, unknown> {
  const format = summary.format.toLowerCase();
  return {
    profile: 'tabular-data-package',
    name: `boardroom-export-${summary.exportId.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}`,
    title: `Boardroom engagement data, ${day(summary.from)} to ${day(summary.to)}`,
    description:
      `Pseudonymized engagement events, accounts, brands, invites and near-duplicate photo clusters of Boardroom` +
      ` (project ${summary.project}${summary.brandSlugs ? `; brands ${summary.brandSlugs.join(', ')}` : '; all brands'}).` +
      ' See README.md.',
    version: '1.0.0',
    created: summary.createdAt.toISOString(),
    licenses: [
      { name: 'boardroom-research-terms', title: 'Boardroom research data-use terms (README.md)', path: 'README.md' },
    ],
    resources: summary.files.map((file) => ({
      profile: 'tabular-data-resource',
      name: file.table.name,
      path: file.path,
      title: file.table.title,
      description: file.table.description,
      format,
      mediatype: MEDIA_TYPES[summary.format],
      ...(summary.format === 'PARQUET' ? {} : { encoding: 'utf-8' }),
      ...(summary.format === 'CSV' ? { dialect: { delimiter: ',', lineTerminator: '\r\n', header: true } } : {}),
      bytes: file.bytes,
      hash: `sha256:${file.sha256}`,
      rows: file.rows,
      schema: {
        fields: file.table.columns.map((column) => ({
          name: column.name,
          type: column.type,
          ...(column.type === 'datetime' ? { format: 'any' } : {}),
          description: column.description,
        })),
        missingValues: [''],
      },
    })),
    window: { from: summary.from.toISOString(), to: summary.to.toISOString(), brands: summary.brandSlugs },
    pseudonymization: PSEUDONYMIZATION,
    coarsening: COARSENING,
    kAnonymity: {
      k: summary.k,
      quasiIdentifiers: ['accounts.signup_week', 'accounts.brands', 'accounts.top_title'],
      generalizedRows: summary.generalizedAccounts,
      suppressedRows: summary.suppressedAccounts,
    },
    differentialPrivacy: summary.differentialPrivacy && {
      table: 'daily_counts',
      mechanism: 'Laplace',
      epsilonPerCell: summary.differentialPrivacy.epsilon,
      maxEventsPerAccountPerCell: summary.differentialPrivacy.maxEventsPerCell,
      noiseScale: summary.differentialPrivacy.maxEventsPerCell / summary.differentialPrivacy.epsilon,
    },
  };
}

/** The export's README: contents, what was withheld and why, the data-use terms, how to cite. */
export function exportReadme(summary: ExportSummary): string {
  const lines = [
    `# Boardroom research export ${summary.exportId}`,
    '',
    `Engagement data of Boardroom from ${summary.from.toISOString()} to ${summary.to.toISOString()}` +
      ` (${summary.brandSlugs ? `brands: ${summary.brandSlugs.join(', ')}` : 'all brands'}), exported` +
      ` ${summary.createdAt.toISOString()} for the research project \`${summary.project}\`, as ${summary.format}.` +
      ' `datapackage.json` describes every file and column (a Frictionless Data Package); `SHA256SUMS` has their checksums' +
      ' (`sha256sum -c SHA256SUMS`).',
    '',
    '## Contents',
    '',
    '| file | rows | bytes | what |',
    '| --- | ---: | ---: | --- |',
    ...summary.files.map((file) => `| \`${file.path}\` | ${file.rows} | ${file.bytes} | ${file.table.description} |`),
    '',
    ...summary.files.flatMap((file) => [
      `### ${file.table.name}`,
      '',
      '| column | type | meaning |',
      '| --- | --- | --- |',
      ...file.table.columns.map((column) => `| \`${column.name}\` | ${column.type} | ${column.description} |`),
      '',
    ]),
    '## What was withheld, and why',
    '',
    'Nothing in this export names a person. Left out entirely:',
    '',
    ...WITHHELD.map((item) => `- ${item};`),
    '',
    `**Pseudonyms.** ${PSEUDONYMIZATION}`,
    '',
    `**Coarsening.** ${COARSENING}`,
    '',
    `**k-anonymity.** In \`accounts\`, every combination of signup_week, brands and top_title is shared by at least` +
      ` k = ${summary.k} accounts: rarer combinations were generalized (wider week ranges, capped counts, title bands,` +
      ` and at last \`*\`). ${summary.generalizedAccounts} account row(s) were generalized, ${summary.suppressedAccounts}` +
      ' of them fully suppressed; `generalization_level` says how far each row was taken.',
    '',
    ...(summary.differentialPrivacy ? [differentialPrivacyNote(summary.differentialPrivacy), ''] : []),
    '**Flags.** `actor_flags`, `action_flags` and `flags` name the Boardroom detectors that flagged an account or an action' +
      " (CODE@version) when the export was made; a flag is a signal, not a verdict (see the operator's researchers guide).",
    '',
    '## Data-use terms',
    '',
    summary.dataUseTerms ?? DEFAULT_DATA_USE_TERMS,
    '',
    '## How to cite',
    '',
    `Boardroom engagement data, research export ${summary.exportId} (project ${summary.project}), covering` +
      ` ${day(summary.from)} to ${day(summary.to)}, exported ${day(summary.createdAt)}.`,
    '',
  ];
  return lines.join('\n');
}

function differentialPrivacyNote({ epsilon, maxEventsPerCell }: { epsilon: number; maxEventsPerCell: number }): string {
  return (
    `**Differential privacy.** \`daily_counts\` holds every (brand, UTC day, action) cell of the window, empty ones` +
    ` too, each account's events counted at most ${maxEventsPerCell} times per cell, plus Laplace noise of scale` +
    ` ${maxEventsPerCell / epsilon} (ε = ${epsilon} per cell), rounded. One account's presence changes a cell's` +
    ' distribution by at most a factor e^ε; an account active in several cells spends ε in each (the guarantee' +
    ' composes). The guarantee holds for `daily_counts` alone: the record-level tables of this same export show the' +
    ' exact events, so publish `daily_counts` on its own when differential privacy is what you need.'
  );
}

const day = (date: Date) => date.toISOString().slice(0, 10);
