/** One message to one recipient; `text` is required so every client can read it. */
export type MailMessage = { to: string; subject: string; text: string; html?: string };

/**
 * Sends mail. An abstract class rather than an interface so that it can be the
 * Nest injection token: the configured driver is provided under it.
 */
export abstract class Mailer {
  abstract send(message: MailMessage): Promise<void>;
}

/** The nodemailer message of a {@link MailMessage}, shared by both drivers. */
export function nodemailerMessage(from: string, message: MailMessage) {
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
  };
}
