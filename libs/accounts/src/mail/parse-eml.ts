/**
 * Just enough MIME to read what {@link FileMailer} writes (mailparser is not a
 * dependency): To, Subject and the first text/plain part, decoded. The message is
 * handled as a latin1 string, one character per byte, and decoded at the end.
 */
export type ParsedMail = { to: string; subject: string; text: string };

type Entity = { headers: Map<string, string>; body: string };

export function parseEml(raw: Buffer): ParsedMail {
  const message = splitEntity(raw.toString('latin1'));
  return {
    to: decodeHeader(message.headers.get('to') ?? ''),
    subject: decodeHeader(message.headers.get('subject') ?? ''),
    text: textOf(message) ?? '',
  };
}

function splitEntity(raw: string): Entity {
  const blank = /\r?\n\r?\n/.exec(raw);
  const head = blank ? raw.slice(0, blank.index) : raw;
  const body = blank ? raw.slice(blank.index + blank[0].length) : '';
  const headers = new Map<string, string>();
  // A line starting with white space continues the header before it (folding).
  for (const line of head.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** The decoded first text/plain part, depth first; a message without Content-Type is text/plain. */
function textOf(entity: Entity): string | null {
  const contentType = entity.headers.get('content-type') ?? 'text/plain';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType.startsWith('multipart/')) {
    const boundary = parameter(contentType, 'boundary');
    if (!boundary) return null;
    for (const part of multipartParts(entity.body, boundary)) {
      const text = textOf(splitEntity(part));
      if (text !== null) return text;
    }
    return null;
  }
  if (mediaType !== 'text/plain') return null;
  const bytes = decodeTransfer(entity.body, entity.headers.get('content-transfer-encoding') ?? '7bit');
  return decodeCharset(bytes, parameter(contentType, 'charset') ?? 'utf-8').replace(/\r\n/g, '\n');
}

function parameter(headerValue: string, name: string): string | null {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(headerValue);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

function multipartParts(body: string, boundary: string): string[] {
  const parts: string[] = [];
  let current: string[] | null = null; // null: the preamble, before the first delimiter
  for (const line of body.split(/\r?\n/)) {
    const trimmed = line.trimEnd();
    if (trimmed === `--${boundary}--`) break;
    if (trimmed === `--${boundary}`) {
      if (current) parts.push(current.join('\n'));
      current = [];
    } else {
      current?.push(line);
    }
  }
  if (current) parts.push(current.join('\n'));
  return parts;
}

function decodeTransfer(body: string, encoding: string): Buffer {
  switch (encoding.trim().toLowerCase()) {
    case 'quoted-printable':
      return Buffer.from(decodeQuotedPrintable(body), 'latin1');
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64');
    default:
      return Buffer.from(body, 'latin1');
  }
}

function decodeQuotedPrintable(body: string): string {
  // Trailing white space is transport padding; "=" at a line's end is a soft break
  // (how long lines such as links are wrapped), so the line goes on unbroken.
  return unhex(body.replace(/[ \t]+(?=\r?\n|$)/g, '').replace(/=\r?\n/g, ''));
}

function unhex(text: string): string {
  return text.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`), which nodemailer uses for long or non-ASCII headers. */
function decodeHeader(value: string): string {
  const bytes = value
    // White space between two encoded words is folding, not content.
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, charset: string, kind: string, text: string) => {
      const word =
        kind.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(unhex(text.replace(/_/g, ' ')), 'latin1');
      // UTF-8 bytes stay bytes, so a character split across two words joins up again.
      return /^(utf-8|us-ascii)$/i.test(charset)
        ? word.toString('latin1')
        : Buffer.from(decodeCharset(word, charset), 'utf8').toString('latin1');
    });
  // Raw 8-bit header bytes are UTF-8 (RFC 6532).
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    // An unknown label: UTF-8 is the best guess for mail written today.
    return bytes.toString('utf8');
  }
}
