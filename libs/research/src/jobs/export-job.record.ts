import type { ExportFormat } from '../export/table-writers.js';

export type ExportKind = 'RESEARCH' | 'PERSONAL';
/** EXPIRED: was DONE, and its archive was deleted after RETENTION_EXPORT_ARCHIVE_DAYS. */
export type ExportStatus = 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED' | 'EXPIRED';

export interface ResearchExportParams {
  from: string;
  to: string;
  brandIds: string[] | null;
  brandSlugs: string[] | null;
}

export interface ExportJobRecord {
  id: string;
  kind: ExportKind;
  requestedBy: string | null;
  projectId: string | null;
  format: ExportFormat;
  params: Partial<ResearchExportParams>;
  status: ExportStatus;
  rows: number | null;
  storageKey: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}
