import { MemoryByteSource, type ByteSource } from './byte-source.js';

/** The raster formats the product accepts from users. Anything else is refused before it reaches a decoder. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const AVIF_BRANDS = new Set(['avif', 'avis']);

function startsWith(source: ByteSource, bytes: readonly number[]): boolean {
  if (source.length < bytes.length) return false;
  return bytes.every((byte, i) => source.byteAt(i) === byte);
}

function ascii(source: ByteSource, offset: number, length: number): string {
  return Array.from({ length }, (_, i) => String.fromCharCode(source.byteAt(offset + i))).join('');
}

function readUint16BE(source: ByteSource, offset: number): number {
  return (source.byteAt(offset) << 8) | source.byteAt(offset + 1);
}

function readUint32BE(source: ByteSource, offset: number): number {
  return readUint16BE(source, offset) * 0x10000 + readUint16BE(source, offset + 2);
}

function readUint32LE(source: ByteSource, offset: number): number {
  return (
    source.byteAt(offset) +
    source.byteAt(offset + 1) * 0x100 +
    source.byteAt(offset + 2) * 0x10000 +
    source.byteAt(offset + 3) * 0x1000000
  );
}

/**
 * Whether an ISO-BMFF file starts with an `ftyp` box naming `avif`/`avis` as its major brand or a
 * compatible brand. HEIC (`heic`, `heix`, `mif1` alone) is the same container with another codec: not AVIF.
 */
function isAvif(head: ByteSource): boolean {
  if (head.length < 16 || ascii(head, 4, 4) !== 'ftyp') return false;
  const boxSize = readUint32BE(head, 0);
  if (boxSize < 16 || boxSize % 4 !== 0) return false;
  const end = Math.min(boxSize, head.length);
  if (AVIF_BRANDS.has(ascii(head, 8, 4))) return true;
  // major brand (8..12), minor version (12..16), then compatible brands of 4 bytes each.
  for (let offset = 16; offset + 4 <= end; offset += 4) {
    if (AVIF_BRANDS.has(ascii(head, offset, 4))) return true;
  }
  return false;
}

/**
 * The format of an upload by its magic bytes alone (never by its name or declared content type).
 * Pass at least the first 32 bytes; AVIF brands further into a long `ftyp` box need more.
 * GIF, SVG, HEIC, text and anything unknown give `null`.
 */
export function detectImageFormat(headBytes: Uint8Array): ImageFormat | null {
  const head = new MemoryByteSource(headBytes);
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, PNG_SIGNATURE)) return 'png';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return 'webp';
  if (isAvif(head)) return 'avif';
  return null;
}

/**
 * Whether the file's container structure is complete, walked from the header without decoding pixels:
 * a JPEG reaches its end-of-image marker, a PNG its IEND chunk, a WebP holds the bytes its RIFF header
 * declares, and every top-level AVIF box fits. Catches uploads that were cut off, which the header-only
 * metadata read does not notice. Data after a JPEG's or PNG's end is tolerated; re-encoding drops it.
 * Segment, chunk and box lengths are jumped over; only a JPEG's entropy-coded data is scanned.
 */
export function hasCompleteStructure(format: ImageFormat, source: ByteSource): boolean {
  switch (format) {
    case 'jpeg':
      return jpegReachesEnd(source);
    case 'png':
      return pngReachesEnd(source);
    case 'webp':
      return source.length >= 12 && readUint32LE(source, 4) + 8 <= source.length;
    case 'avif':
      return isoBoxesFit(source);
  }
}

const JPEG_EOI = 0xd9;
const JPEG_SOS = 0xda;
const JPEG_TEM = 0x01;

function isJpegRestart(marker: number): boolean {
  return marker >= 0xd0 && marker <= 0xd7;
}

function jpegReachesEnd(source: ByteSource): boolean {
  let pos = 2; // after SOI
  while (pos + 1 < source.length) {
    if (source.byteAt(pos) !== 0xff) return false;
    let marker = source.byteAt(pos + 1);
    while (marker === 0xff && pos + 2 < source.length) marker = source.byteAt(++pos + 1); // fill bytes
    pos += 2;
    if (marker === JPEG_EOI) return true;
    if (marker === JPEG_TEM || isJpegRestart(marker)) continue; // markers without a length
    if (pos + 2 > source.length) return false;
    const length = readUint16BE(source, pos);
    if (length < 2 || pos + length > source.length) return false;
    pos += length;
    if (marker === JPEG_SOS) {
      pos = endOfEntropyCodedData(source, pos);
      if (pos === -1) return false;
    }
  }
  return false;
}

/**
 * The offset of the marker that ends the entropy-coded data starting at `from`, or -1 if the data runs
 * to the end of the file. Within the data an 0xFF followed by 0x00 is a stuffed byte and one followed by
 * a restart marker stays in the scan; any other 0xFF starts the next marker.
 */
function endOfEntropyCodedData(source: ByteSource, from: number): number {
  for (
    let pos = source.indexOf(0xff, from);
    pos !== -1 && pos + 1 < source.length;
    pos = source.indexOf(0xff, pos + 2)
  ) {
    const next = source.byteAt(pos + 1);
    if (next !== 0x00 && !isJpegRestart(next)) return pos;
  }
  return -1;
}

function pngReachesEnd(source: ByteSource): boolean {
  let pos = 8; // after the signature
  while (pos + 12 <= source.length) {
    const length = readUint32BE(source, pos);
    if (pos + 12 + length > source.length) return false;
    if (ascii(source, pos + 4, 4) === 'IEND') return true;
    pos += 12 + length;
  }
  return false;
}

function isoBoxesFit(source: ByteSource): boolean {
  let pos = 0;
  while (pos < source.length) {
    if (pos + 8 > source.length) return false;
    let size = readUint32BE(source, pos);
    if (size === 0) return true; // the last box runs to the end of the file
    if (size === 1) {
      if (pos + 16 > source.length) return false;
      size = readUint32BE(source, pos + 8) * 2 ** 32 + readUint32BE(source, pos + 12);
    }
    if (size < 8 || pos + size > source.length) return false;
    pos += size;
  }
  return true;
}
