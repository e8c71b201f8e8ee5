import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@boardroom/core';

import { createMailer } from './create-mailer.js';
import { Mailer } from './mailer.js';

/** Provides the configured {@link Mailer} everywhere; needs {@link AppConfig} provided globally. */
@Global()
@Module({
  providers: [{ provide: Mailer, inject: [AppConfig], useFactory: createMailer }],
  exports: [Mailer],
})
export class MailModule {}
