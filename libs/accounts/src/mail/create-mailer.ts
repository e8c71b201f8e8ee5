import type { AppConfig } from '@boardroom/core';

import { FileMailer } from './file-mailer.js';
import type { Mailer } from './mailer.js';
import { SmtpMailer } from './smtp-mailer.js';

/** The driver the configuration asks for: SMTP when SMTP_URL is set, `.eml` files in DATA_DIR otherwise. */
export function createMailer(config: AppConfig): Mailer {
  return config.mail.smtpUrl === null
    ? new FileMailer(config.dataDir, config.mail.from)
    : new SmtpMailer(config.mail.smtpUrl, config.mail.from);
}
