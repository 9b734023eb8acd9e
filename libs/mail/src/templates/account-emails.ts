import type { MailContent } from '../mail-message';
import { htmlEmail } from './html';

export interface AccountEmailInput {
  name: string;
  /** The page of the front end that takes the token, token included. */
  link: string;
  token: string;
}

/** Sent at registration and on resend: the link proves the address (valid 24 h). */
export function verifyEmailMessage(input: AccountEmailInput): MailContent {
  const subject = 'Confirm your email address';
  const lines = ['Please confirm your email address by opening this link (valid for 24 hours):'];
  return {
    subject,
    text: plainText(`Hello ${input.name},`, lines, input, 'If you did not create an account, ignore this email.'),
    html: htmlEmail({
      title: subject,
      greeting: `Hello ${input.name},`,
      lines,
      link: input.link,
      action: 'Confirm my email',
      token: input.token,
    }),
  };
}

/** Sent on a password-reset request for an existing account: the link sets a new password (valid 30 min). */
export function passwordResetMessage(input: AccountEmailInput): MailContent {
  const subject = 'Reset your password';
  const lines = [
    'Someone asked to reset the password of your account. To choose a new one, open this link (valid for 30 minutes):',
  ];
  return {
    subject,
    text: plainText(
      `Hello ${input.name},`,
      lines,
      input,
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ),
    html: htmlEmail({
      title: subject,
      greeting: `Hello ${input.name},`,
      lines,
      link: input.link,
      action: 'Choose a new password',
      token: input.token,
    }),
  };
}

function plainText(greeting: string, lines: string[], input: AccountEmailInput, closing: string): string {
  return [greeting, '', ...lines, '', input.link, '', 'Or enter this code:', '', input.token, '', closing, ''].join(
    '\n',
  );
}
