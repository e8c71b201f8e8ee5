import { readSync } from 'node:fs';

/**
 * Random access to the bytes of an upload, for the structure walkers: over a file it holds one window at
 * a time, so validating a 15 MB upload never holds 15 MB. Offsets are never negative; `byteAt` throws a
 * RangeError at or past `length` (the walkers check bounds first, so that would be a bug).
 */
export interface ByteSource {
  readonly length: number;
  byteAt(offset: number): number;
  /** The offset of the first `byte` at or after `from`, or -1 if there is none. */
  indexOf(byte: number, from: number): number;
}

function outOfRange(offset: number, length: number): RangeError {
  return new RangeError(`Offset ${offset} is outside the ${length} bytes of the source.`);
}

/** Bytes already in memory: small inputs such as a file's head, and tests. */
export class MemoryByteSource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}

  get length(): number {
    return this.bytes.length;
  }

  byteAt(offset: number): number {
    const byte = this.bytes[offset];
    if (byte === undefined) throw outOfRange(offset, this.length);
    return byte;
  }

  indexOf(byte: number, from: number): number {
    return this.bytes.indexOf(byte, from);
  }
}

/** 64 KiB: few reads for a sequential scan, little waste for a jump that needs only a box header. */
const DEFAULT_WINDOW_SIZE = 64 * 1024;

/**
 * The bytes of an open file, read through one reused window. Reads are synchronous so the walkers stay
 * plain functions; a whole 15 MB scan is a few hundred reads of a freshly written (cached) file.
 * The caller owns the descriptor and keeps it open while the source is used.
 */
export class FileByteSource implements ByteSource {
  private readonly window: Buffer;
  /** The valid part of `window`, holding the file's bytes from `windowStart`. */
  private view: Buffer;
  private windowStart = 0;

  constructor(
    private readonly fd: number,
    readonly length: number,
    windowSize = DEFAULT_WINDOW_SIZE,
  ) {
    this.window = Buffer.alloc(windowSize);
    this.view = this.window.subarray(0, 0);
  }

  byteAt(offset: number): number {
    if (offset < 0 || offset >= this.length) throw outOfRange(offset, this.length);
    if (!this.windowHolds(offset)) this.load(offset);
    return this.view[offset - this.windowStart] as number;
  }

  indexOf(byte: number, from: number): number {
    for (let offset = from; offset < this.length; offset = this.windowStart + this.view.length) {
      if (!this.windowHolds(offset)) this.load(offset);
      const found = this.view.indexOf(byte, offset - this.windowStart);
      if (found !== -1) return this.windowStart + found;
    }
    return -1;
  }

  private windowHolds(offset: number): boolean {
    return offset >= this.windowStart && offset < this.windowStart + this.view.length;
  }

  /** Fills the window from `offset`, up to its size or the end of the file. */
  private load(offset: number): void {
    const wanted = Math.min(this.window.length, this.length - offset);
    this.view = this.window.subarray(0, 0); // a failed read leaves no stale bytes behind
    let filled = 0;
    while (filled < wanted) {
      const read = readSync(this.fd, this.window, filled, wanted - filled, offset + filled);
      if (read === 0) {
        // The length came from the caller (a stat): a file that shrank since is not the one being validated.
        throw new Error(`The file is shorter than the ${this.length} bytes expected.`);
      }
      filled += read;
    }
    this.windowStart = offset;
    this.view = this.window.subarray(0, wanted);
  }
}
