import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Node, toGlobalId } from '@boardroom/core';
import type { ExportFormat } from '../export/table-writers.js';
import type { ExportJobRecord, ExportStatus } from './export-job.record.js';

export const ExportFormatEnum = { PARQUET: 'PARQUET', CSV: 'CSV', JSONL: 'JSONL' } as const satisfies Record<
  ExportFormat,
  ExportFormat
>;
registerEnumType(ExportFormatEnum, { name: 'ExportFormat' });

export const JobStatusEnum = {
  QUEUED: 'QUEUED',
  RUNNING: 'RUNNING',
  DONE: 'DONE',
  FAILED: 'FAILED',
  EXPIRED: 'EXPIRED',
} as const satisfies Record<ExportStatus, ExportStatus>;
registerEnumType(JobStatusEnum, {
  name: 'JobStatus',
  valuesMap: {
    EXPIRED: { description: 'Was DONE; the archive was deleted after its retention (7 days by default): ask again.' },
  },
});

@InputType('ResearchExportInput')
export class ResearchExportInputDto {
  @Field({ description: 'Start of the window (inclusive).' }) from!: Date;
  @Field({ description: 'End of the window (exclusive); at most 400 days after from.' }) to!: Date;
  @Field(() => [String], { nullable: true, description: 'Only these brands (slugs); all brands when left out.' })
  brandSlugs?: string[] | null;
  @Field(() => ExportFormatEnum) format!: ExportFormat;
  @Field(() => String, {
    nullable: true,
    description:
      'Your research project (lower-case letters, digits, dashes; default "default"): exports of one project share pseudonyms, different projects never do.',
  })
  project?: string | null;
}

@ObjectType('ExportJob', { implements: () => [Node] })
export class ExportJobDto implements Node {
  @Field(() => ID) id!: string;
  @Field(() => JobStatusEnum) status!: ExportStatus;
  @Field(() => ExportFormatEnum) format!: ExportFormat;
  @Field(() => Int, { nullable: true, description: 'Rows written so far (all tables).' }) rows!: number | null;
  @Field(() => String, { nullable: true, description: 'The error, when FAILED.' }) error!: string | null;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;

  /** Not a GraphQL field: the download URL is a field resolver (signed when asked). */
  record!: ExportJobRecord;

  static from(record: ExportJobRecord): ExportJobDto {
    return Object.assign(new ExportJobDto(), {
      id: toGlobalId('ExportJob', record.id),
      status: record.status,
      format: record.format,
      rows: record.rows,
      error: record.error,
      createdAt: record.createdAt,
      finishedAt: record.finishedAt,
      record,
    });
  }
}
