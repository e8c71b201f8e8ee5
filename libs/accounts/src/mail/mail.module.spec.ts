import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { Test } from '@nestjs/testing';
import { AppConfigModule, loadConfig } from '@boardroom/core';

import { FileMailer } from './file-mailer.js';
import { readMailFolder } from './mail-folder.js';
import { MailModule } from './mail.module.js';
import { Mailer } from './mailer.js';
import { SmtpMailer } from './smtp-mailer.js';

async function mailerFor(env: Record<string, string>): Promise<{ mailer: Mailer; close(): Promise<void> }> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(loadConfig(env)), MailModule],
  }).compile();
  await moduleRef.init();
  return { mailer: moduleRef.get(Mailer), close: () => moduleRef.close() };
}

describe('MailModule', () => {
  let tmp: string;

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'boardroom-mail-module-'));
  });

  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('writes mail into DATA_DIR by default, from MAIL_FROM', async () => {
    const { mailer, close } = await mailerFor({ DATA_DIR: tmp, MAIL_FROM: 'Boardroom <hello@boardroom.example>' });
    try {
      expect(mailer).toBeInstanceOf(FileMailer);
      // A single-part body always ends with a line break, so the text is sent with one.
      await mailer.send({ to: 'ada@example.com', subject: 'Hello', text: 'Hi\n' });
      const [mail] = await readMailFolder(tmp);
      expect(mail).toMatchObject({ to: 'ada@example.com', subject: 'Hello', text: 'Hi\n' });
      await expect(fs.readFile(mail!.file, 'utf8')).resolves.toMatch(/^From: Boardroom <hello@boardroom\.example>$/m);
    } finally {
      await close();
    }
  });

  it('sends over SMTP when SMTP_URL is set, and closes the transport on shutdown', async () => {
    // Nothing is sent: the transport connects on the first message only.
    const { mailer, close } = await mailerFor({ DATA_DIR: tmp, SMTP_URL: 'smtp://user:secret@127.0.0.1:2525' });
    try {
      expect(mailer).toBeInstanceOf(SmtpMailer);
    } finally {
      await close();
    }
  });
});
