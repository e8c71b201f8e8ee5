import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tableFromIPC, type Table } from 'apache-arrow';
import { initSync, readParquet } from 'parquet-wasm/esm';

const require = createRequire(import.meta.url);
let initialized = false;

/**
 * A Parquet file as Apache Arrow's Rust reader (arrow-rs through parquet-wasm) reads it: an implementation
 * independent of DuckDB's. pyarrow, Arrow's C++ reader, is neither on npm nor in Debian's packages here.
 */
export async function readParquetWithArrow(bytes: Uint8Array): Promise<Table> {
  if (!initialized) {
    initSync({ module: await readFile(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
    initialized = true;
  }
  return tableFromIPC(readParquet(bytes).intoIPCStream());
}
