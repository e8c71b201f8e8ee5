/** The raster formats the product accepts from users. Anything else is refused before it reaches a decoder. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const AVIF_BRANDS = new Set(['avif', 'avis']);

function startsWith(head: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  if (head.length < offset + bytes.length) return false;
  return bytes.every((byte, i) => head[offset + i] === byte);
}

function ascii(head: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...head.subarray(offset, offset + length));
}

function readUint32BE(bytes: Uint8Array, offset: number): number {
  return (
    (((bytes[offset] ?? 0) << 24) |
      ((bytes[offset + 1] ?? 0) << 16) |
      ((bytes[offset + 2] ?? 0) << 8) |
      (bytes[offset + 3] ?? 0)) >>>
    0
  );
}

/**
 * Whether an ISO-BMFF file starts with an `ftyp` box naming `avif`/`avis` as its major brand or a
 * compatible brand. HEIC (`heic`, `heix`, `mif1` alone) is the same container with another codec: not AVIF.
 */
function isAvif(head: Uint8Array): boolean {
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
export function detectImageFormat(head: Uint8Array): ImageFormat | null {
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
 */
export function hasCompleteStructure(format: ImageFormat, bytes: Uint8Array): boolean {
  switch (format) {
    case 'jpeg':
      return jpegReachesEnd(bytes);
    case 'png':
      return pngReachesEnd(bytes);
    case 'webp':
      return (
        bytes.length >= 12 &&
        (((bytes[4] ?? 0) | ((bytes[5] ?? 0) << 8) | ((bytes[6] ?? 0) << 16) | ((bytes[7] ?? 0) << 24)) >>> 0) + 8 <=
          bytes.length
      );
    case 'avif':
      return isoBoxesFit(bytes);
  }
}

function jpegReachesEnd(bytes: Uint8Array): boolean {
  let pos = 2; // after SOI
  while (pos + 1 < bytes.length) {
    if (bytes[pos] !== 0xff) return false;
    let marker = bytes[pos + 1] ?? 0;
    while (marker === 0xff && pos + 2 < bytes.length) marker = bytes[++pos + 1] ?? 0; // fill bytes
    pos += 2;
    if (marker === 0xd9) return true; // EOI
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // markers without a length
    if (pos + 2 > bytes.length) return false;
    const length = ((bytes[pos] ?? 0) << 8) | (bytes[pos + 1] ?? 0);
    if (length < 2 || pos + length > bytes.length) return false;
    pos += length;
    if (marker === 0xda) {
      // Entropy-coded data follows the scan header: the next marker is an 0xFF not followed by a stuffed
      // 0x00 or a restart marker.
      while (pos + 1 < bytes.length) {
        const next = bytes[pos + 1] ?? 0;
        if (bytes[pos] === 0xff && next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) break;
        pos++;
      }
    }
  }
  return false;
}

function pngReachesEnd(bytes: Uint8Array): boolean {
  let pos = 8; // after the signature
  while (pos + 12 <= bytes.length) {
    const length = readUint32BE(bytes, pos);
    const type = ascii(bytes, pos + 4, 4);
    if (pos + 12 + length > bytes.length) return false;
    if (type === 'IEND') return true;
    pos += 12 + length;
  }
  return false;
}

function isoBoxesFit(bytes: Uint8Array): boolean {
  let pos = 0;
  while (pos < bytes.length) {
    if (pos + 8 > bytes.length) return false;
    let size = readUint32BE(bytes, pos);
    if (size === 0) return true; // the last box runs to the end of the file
    if (size === 1) {
      if (pos + 16 > bytes.length) return false;
      size = readUint32BE(bytes, pos + 8) * 2 ** 32 + readUint32BE(bytes, pos + 12);
    }
    if (size < 8 || pos + size > bytes.length) return false;
    pos += size;
  }
  return true;
}
