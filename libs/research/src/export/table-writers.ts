import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import type { ColumnSpec, ColumnType, ExportRow, ExportValue } from './export-tables.js';

export type ExportFormat = 'PARQUET' | 'CSV' | 'JSONL';

/** Writes one table's rows to one file, batch by batch: nothing but the current batch is held in memory. */
export interface TableWriter {
  write(rows: readonly ExportRow[]): Promise<void>;
  close(): Promise<void>;
}

export const FILE_EXTENSIONS: Record<ExportFormat, string> = { PARQUET: 'parquet', CSV: 'csv', JSONL: 'jsonl' };
export const MEDIA_TYPES: Record<ExportFormat, string> = {
  PARQUET: 'application/vnd.apache.parquet',
  CSV: 'text/csv',
  JSONL: 'application/jsonl',
};

export function openTableWriter(format: ExportFormat, file: string, columns: readonly ColumnSpec[]): TableWriter {
  switch (format) {
    case 'CSV':
      return new TextTableWriter(file, csvLine(columns.map((column) => column.name)), (row) =>
        csvLine(columns.map((column) => csvValue(row[column.name] ?? null))),
      );
    case 'JSONL':
      return new TextTableWriter(
        file,
        '',
        (row) => JSON.stringify(Object.fromEntries(columns.map((c) => [c.name, row[c.name] ?? null]))) + '\n',
      );
    case 'PARQUET':
      return new ParquetTableWriter(file, columns);
  }
}

/**
 * CSV by RFC 4180 (comma, CRLF, quotes doubled) written by hand: quoting is five lines, and a library would
 * have to be wrapped the same way to write batches with backpressure.
 */
function csvLine(values: readonly string[]): string {
  return (
    values.map((value) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)).join(',') + '\r\n'
  );
}

function csvValue(value: ExportValue): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** CSV and JSON Lines: a line per row through a file stream, waiting when its buffer is full. */
class TextTableWriter implements TableWriter {
  private readonly stream: WriteStream;

  constructor(
    file: string,
    header: string,
    private readonly line: (row: ExportRow) => string,
  ) {
    this.stream = createWriteStream(file, { encoding: 'utf8' });
    if (header) this.stream.write(header);
  }

  async write(rows: readonly ExportRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (!this.stream.write(rows.map(this.line).join(''))) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

const PARQUET_TYPES: Record<
  ColumnType,
  { type: 'BYTE_ARRAY' | 'INT32' | 'BOOLEAN' | 'INT64'; converted_type?: 'UTF8' | 'TIMESTAMP_MILLIS' }
> = {
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  integer: { type: 'INT32' },
  boolean: { type: 'BOOLEAN' },
  datetime: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' },
};

/** Parquet through hyparquet-writer: one row group per batch, flushed to the file as it goes. */
class ParquetTableWriter implements TableWriter {
  private readonly writer: ParquetWriter;

  constructor(
    file: string,
    private readonly columns: readonly ColumnSpec[],
  ) {
    this.writer = new ParquetWriter({
      writer: fileWriter(file),
      schema: [
        { name: 'root', num_children: columns.length },
        ...columns.map((column) => ({
          name: column.name,
          repetition_type: 'OPTIONAL' as const,
          ...PARQUET_TYPES[column.type],
        })),
      ],
      createdBy: 'boardroom research export',
    });
  }

  async write(rows: readonly ExportRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.writer.write({
      columnData: this.columns.map((column) => ({
        name: column.name,
        data: rows.map((row) => row[column.name] ?? null),
      })),
      // One row group per batch: the writer never holds more than the batch.
      rowGroupSize: rows.length,
    });
  }

  async close(): Promise<void> {
    // The file writer's finish flushes synchronously; its type allows a promise for other writers.
    await this.writer.finish();
  }
}
