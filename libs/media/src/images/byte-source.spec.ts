import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileByteSource, MemoryByteSource } from './byte-source.js';

/** 0..99 with an 0xFF every 23 bytes, so some fall on window edges and some inside windows. */
const BYTES = Uint8Array.from({ length: 100 }, (_, i) => (i % 23 === 22 ? 0xff : i));

describe('FileByteSource', () => {
  let dir: string;
  let file: string;
  let fd: number;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'boardroom-byte-source-'));
    file = path.join(dir, 'bytes.bin');
    await writeFile(file, BYTES);
    fd = openSync(file, 'r');
  });
  afterAll(async () => {
    closeSync(fd);
    await rm(dir, { recursive: true, force: true });
  });

  it.each([1, 5, 64, 65_536])('reads the same bytes as memory through a window of %i', (windowSize) => {
    const memory = new MemoryByteSource(BYTES);
    const windowed = new FileByteSource(fd, BYTES.length, windowSize);
    // Backwards first, so every byte forces a jump to a new window.
    for (let offset = BYTES.length - 1; offset >= 0; offset--) {
      expect(windowed.byteAt(offset)).toBe(memory.byteAt(offset));
    }
    for (let from = 0; from <= BYTES.length; from++) {
      expect([from, windowed.indexOf(0xff, from)]).toEqual([from, memory.indexOf(0xff, from)]);
    }
    expect(windowed.indexOf(0xfe, 0)).toBe(-1);
  });

  it('reads only `length` bytes: a shorter source stands for the file cut off there', () => {
    const cut = new FileByteSource(fd, 60, 16);
    expect(cut.length).toBe(60);
    expect(cut.indexOf(0xff, 50)).toBe(-1); // the next 0xFF, at 68, is past the cut
    expect(() => cut.byteAt(60)).toThrow(RangeError);
  });

  it('throws when the file is shorter than the length it was opened with', () => {
    const overlong = new FileByteSource(fd, BYTES.length + 10, 16);
    expect(() => overlong.byteAt(BYTES.length + 5)).toThrow('The file is shorter than the 110 bytes expected.');
  });
});

describe('MemoryByteSource', () => {
  it('throws a RangeError outside its bytes', () => {
    const source = new MemoryByteSource(BYTES);
    expect(source.length).toBe(100);
    expect(() => source.byteAt(100)).toThrow(RangeError);
    expect(() => source.byteAt(-1)).toThrow(RangeError);
  });
});
