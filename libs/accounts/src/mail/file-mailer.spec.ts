import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { FileMailer, mailFolderOf } from './file-mailer.js';
import { readMailFolder } from './mail-folder.js';

const FROM = 'Boardroom Test <mail@boardroom.example>';
// 43 base64url characters, as a 32-byte token encodes, with both URL-safe symbols in it.
const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE';
const LINK = `https://boardroom.example/verify-email?token=${TOKEN}`;

describe('FileMailer', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'boardroom-mail-'));
  });

  afterEach(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('writes an .eml with From, To and Subject whose long link reads back intact', async () => {
    expect(TOKEN).toHaveLength(43);
    await new FileMailer(dataDir, FROM).send({
      to: 'ada@example.com',
      subject: 'Confirm your email address for Boardroom',
      text: `Hello Ada,\n\nplease open this link:\n\n${LINK}\n\nThanks.\n`,
    });

    const names = await fs.readdir(mailFolderOf(dataDir));
    expect(names).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f]{6}\.eml$/)]);
    const file = path.join(mailFolderOf(dataDir), names[0]!);
    const raw = await fs.readFile(file, 'utf8');
    expect(raw).toMatch(/^From: Boardroom Test <mail@boardroom\.example>$/m);
    expect(raw).toMatch(/^To: ada@example\.com$/m);
    expect(raw).toMatch(/^Subject: Confirm your email address for Boardroom$/m);
    expect(raw).toMatch(/^Content-Transfer-Encoding: quoted-printable$/m);
    // The link is longer than a mail line: wrapped and encoded, it is not in the file as it is.
    expect(raw).not.toContain(LINK);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);

    const mails = await readMailFolder(dataDir);
    expect(mails).toEqual([
      {
        file,
        to: 'ada@example.com',
        subject: 'Confirm your email address for Boardroom',
        text: `Hello Ada,\n\nplease open this link:\n\n${LINK}\n\nThanks.\n`,
      },
    ]);
  });

  it('reads the text part of a message with HTML, and non-ASCII subject and body', async () => {
    const subject = 'Bestätigen Sie Ihre Adresse — a subject long enough to be folded over several header lines';
    const text = `Grüße, Zoë 👋\n\n${LINK}\n`;
    await new FileMailer(dataDir, FROM).send({
      to: 'zoe@example.com',
      subject,
      text,
      html: `<a href="${LINK}">open</a>`,
    });

    const [mail, ...more] = await readMailFolder(dataDir);
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ to: 'zoe@example.com', subject, text });
  });

  it('gives two messages of the same millisecond two files', async () => {
    const instant = new Date('2026-11-23T10:00:00.000Z');
    const mailer = new FileMailer(dataDir, FROM, () => instant);
    await Promise.all([
      mailer.send({ to: 'a@example.com', subject: 'first', text: 'one' }),
      mailer.send({ to: 'b@example.com', subject: 'second', text: 'two' }),
    ]);

    const names = await fs.readdir(mailFolderOf(dataDir));
    expect(names).toHaveLength(2);
    expect(names.every((name) => name.startsWith('2026-11-23T10-00-00.000Z-'))).toBe(true);
    const mails = await readMailFolder(dataDir);
    expect(mails.map((m) => m.subject).sort()).toEqual(['first', 'second']);
  });

  it('lists messages oldest first, by the time they were sent', async () => {
    const times = ['2026-11-23T10:00:02.000Z', '2026-11-23T09:59:59.999Z', '2026-11-23T10:00:01.000Z'];
    for (const time of times) {
      await new FileMailer(dataDir, FROM, () => new Date(time)).send({ to: 'a@example.com', subject: time, text: '.' });
    }
    expect((await readMailFolder(dataDir)).map((m) => m.subject)).toEqual([...times].sort());
  });

  it('reads no messages before the first is written', async () => {
    await expect(readMailFolder(dataDir)).resolves.toEqual([]);
  });
});
