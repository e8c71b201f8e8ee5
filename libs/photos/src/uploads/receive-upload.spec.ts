import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FileUpload } from 'graphql-upload/Upload.mjs';
import { receiveUpload } from './receive-upload.js';

/** An upload as graphql-upload hands it over, streaming `chunks` (or failing with `error` after them). */
function upload(chunks: Buffer[], error?: Error): Promise<FileUpload> {
  return Promise.resolve({
    filename: 'photo.jpg',
    mimetype: 'image/jpeg',
    encoding: '7bit',
    createReadStream: () =>
      Readable.from(
        (async function* () {
          yield* chunks;
          if (error) throw error;
        })(),
      ),
  });
}

describe('receiveUpload', () => {
  /** A folder of this file's own, so that what is left in it is only what these uploads left. */
  let dir: string;
  const leftovers = () => readdir(dir);
  const receive = (file: Promise<FileUpload>) => receiveUpload(file, { maxBytes: 1000, dir });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'receive-upload-spec-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the bytes to a private temporary file with their size and SHA-256, removed by dispose', async () => {
    const chunks = [Buffer.from('first part '), Buffer.from('second part')];
    const received = await receive(upload(chunks));
    const bytes = Buffer.concat(chunks);
    expect(received.bytes).toBe(bytes.length);
    expect(received.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await readFile(received.path)).toEqual(bytes);
    await received.dispose();
    expect(await leftovers()).toEqual([]);
  });

  it('stops at the byte limit with PAYLOAD_TOO_LARGE and keeps no partial file', async () => {
    await expect(receive(upload([Buffer.alloc(600), Buffer.alloc(600)]))).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: { maxBytes: 1000 },
    });
    expect(await leftovers()).toEqual([]);
  });

  it('reports the multipart parser’s own size limit (status 413) as PAYLOAD_TOO_LARGE', async () => {
    const limit = Object.assign(new Error('File truncated as it exceeds the 1000 byte size limit.'), { status: 413 });
    await expect(receive(upload([Buffer.alloc(10)], limit))).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('passes any other stream failure on, without a file left', async () => {
    await expect(receive(upload([Buffer.alloc(10)], new Error('client went away')))).rejects.toThrow(
      'client went away',
    );
    expect(await leftovers()).toEqual([]);
  });
});
