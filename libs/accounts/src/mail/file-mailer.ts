import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

import { Logger } from '@nestjs/common';
import nodemailer from 'nodemailer';

import { Mailer, nodemailerMessage, type MailMessage } from './mailer.js';

/** Where the file driver writes, inside DATA_DIR. */
export function mailFolderOf(dataDir: string): string {
  return path.join(dataDir, 'mail');
}

/**
 * The default driver (no SMTP_URL): each message becomes a real RFC 822 `.eml`
 * file in `<DATA_DIR>/mail`, which any mail client opens and tests can read.
 */
export class FileMailer extends Mailer {
  private readonly logger = new Logger(FileMailer.name);
  private readonly folder: string;
  // The stream transport only renders the message; nothing leaves the machine.
  private readonly transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  /**
   * @param now the wall clock, not the injectable `Clock`: file names record the
   * real order of writing even when a test sets the product's time.
   */
  constructor(
    dataDir: string,
    private readonly from: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
    this.folder = mailFolderOf(dataDir);
  }

  async send(message: MailMessage): Promise<void> {
    const info = await this.transport.sendMail(nodemailerMessage(this.from, message));
    if (!Buffer.isBuffer(info.message)) throw new Error('The stream transport returned no buffer');
    const file = await this.write(info.message);
    // Never the body: it carries sign-in and reset tokens.
    this.logger.log(`Mail to ${message.to} "${message.subject}" written to ${file}`);
  }

  private async write(content: Buffer): Promise<string> {
    // 0o700/0o600: the messages hold live tokens.
    await fs.mkdir(this.folder, { recursive: true, mode: 0o700 });
    // ':' is not allowed in file names everywhere; the random part separates messages of the same millisecond.
    const name = `${this.now().toISOString().replaceAll(':', '-')}-${randomBytes(3).toString('hex')}.eml`;
    const target = path.join(this.folder, name);
    // Same folder, so the rename is atomic: a reader never sees half a message.
    const temp = path.join(this.folder, `.${name}.${randomUUID()}.tmp`);
    try {
      await fs.writeFile(temp, content, { flag: 'wx', mode: 0o600, flush: true });
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    return target;
  }
}
