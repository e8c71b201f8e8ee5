import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type SMTPSentMessageInfo, type Transporter } from 'nodemailer';

import { Mailer, nodemailerMessage, type MailMessage } from './mailer.js';

/** Sends through the SMTP server of SMTP_URL (smtp:// or smtps://, credentials in the URL). */
export class SmtpMailer extends Mailer implements OnApplicationShutdown {
  private readonly logger = new Logger(SmtpMailer.name);
  // Connects on the first send, not here, so the app starts while the server is away.
  private readonly transport: Transporter<SMTPSentMessageInfo>;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    super();
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(message: MailMessage): Promise<void> {
    const info = await this.transport.sendMail(nodemailerMessage(this.from, message));
    // Never the URL (it holds the password) nor the body (it holds tokens).
    this.logger.log(`Mail to ${message.to} "${message.subject}" sent as ${info.messageId}`);
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
