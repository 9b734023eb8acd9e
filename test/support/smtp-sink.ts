import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './api-process';

export const SMTP_USER = 'mailer';
export const SMTP_PASSWORD = 'mailer-secret';

/**
 * A real SMTP server (smtp-server) on a fixed port, keeping every message it accepts,
 * parsed by mailparser. It can be stopped and started again on the same port, so a
 * test can take the mail server away from a running app. STARTTLS is not offered (its
 * certificate would be self-signed), so the client authenticates in clear, which the
 * server allows for the test.
 */
export class SmtpSink {
  readonly received: ParsedMail[] = [];
  private server?: SMTPServer;

  constructor(readonly port: number) {}

  /** The SMTP_URL of this server, with its test credentials. */
  get url(): string {
    return `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) =>
        auth.username === SMTP_USER && auth.password === SMTP_PASSWORD
          ? callback(null, { user: auth.username })
          : callback(new Error('invalid credentials')),
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.received.push(mail);
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return this;
  }

  /** Closes the port: connections are refused until start() again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** The messages sent to `address` so far, those with `subject` only if given. */
  to(address: string, subject?: string): ParsedMail[] {
    return this.received.filter(
      (mail) =>
        addressesOf(mail).includes(address.toLowerCase()) && (subject === undefined || mail.subject === subject),
    );
  }

  /** Waits until `count` messages (with `subject`, if given) have reached `address`, and returns them. */
  async waitForMail(address: string, count = 1, subject?: string, timeoutMs = 20_000): Promise<ParsedMail[]> {
    await waitFor(
      () => this.to(address, subject).length >= count,
      timeoutMs,
      () => `mail to ${address}: ${this.to(address, subject).length} of ${count}`,
    );
    return this.to(address, subject);
  }
}

/** The token in a received account email: the `token` query parameter of its link. */
export function tokenFrom(mail: ParsedMail, pagePath: string): string {
  const match = new RegExp(`${pagePath}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text ?? '');
  if (!match) {
    throw new Error(`no ${pagePath} link in: ${mail.text}`);
  }
  return match[1];
}

function addressesOf(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((group) => group.value.map((entry) => (entry.address ?? '').toLowerCase()));
}

/**
 * Stands on a mail server's port while it is down and drops every connection at once,
 * counting them: a test learns that the app tried (and failed) to deliver, without
 * waiting an arbitrary time.
 */
export class DeadPort {
  attempts = 0;
  private readonly server = net.createServer((socket) => {
    this.attempts += 1;
    socket.destroy();
  });

  constructor(private readonly port: number) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
