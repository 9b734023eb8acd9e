import { simpleParser } from 'mailparser';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Mailer } from './mailer';
import { mailConfig } from './mail.config';
import { passwordResetMessage, verifyEmailMessage } from './templates/account-emails';

describe('account email templates', () => {
  const input = { name: 'Ada <script>&"', link: 'https://shop.test/verify-email?token=abc&x="1"', token: 'abc' };

  it('have a text and an HTML part, the link and the token on lines of their own', () => {
    for (const message of [verifyEmailMessage(input), passwordResetMessage(input)]) {
      expect(message.text.split('\n')).toEqual(expect.arrayContaining([input.link, input.token]));
      expect(message.html).toContain('<code>abc</code>');
    }
  });

  it('escape every interpolated value in the HTML part', () => {
    const { html } = verifyEmailMessage(input);
    expect(html).toContain('Ada &lt;script&gt;&amp;&quot;');
    expect(html).toContain('href="https://shop.test/verify-email?token=abc&amp;x=&quot;1&quot;"');
    expect(html).not.toContain('<script>');
  });
});

describe('Mailer without SMTP_URL', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'mailer-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('writes each message as an .eml file under MAIL_DIR and says where at start', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    const config = { ...mailConfig(), directory, from: 'Shop <shop@example.test>', publicUrl: 'https://shop.test' };
    const mailer = new Mailer(config, logger);
    expect(lines.join('')).toContain(path.resolve(directory));
    expect(mailer.link('/verify-email', { token: 'a+b' })).toBe('https://shop.test/verify-email?token=a%2Bb');

    await mailer.send({ to: 'ada@example.com', ...verifyEmailMessage({ name: 'Ada', link: 'https://x', token: 't' }) });
    const [file] = await readdir(directory);
    expect(file).toMatch(/\.eml$/);
    const mail = await simpleParser(await readFile(path.join(directory, file)));
    expect(mail.subject).toBe('Confirm your email address');
    expect(mail.from?.text).toBe('"Shop" <shop@example.test>');
    expect(mail.html).toContain('Hello Ada,');
    expect(lines.join('')).toContain(file);
    mailer.onApplicationShutdown();
  });
});
