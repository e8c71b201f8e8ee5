import type { ExportFormat } from '../export/table-writers.js';

export type ExportKind = 'RESEARCH' | 'PERSONAL';
export type ExportStatus = 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';

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
