import type { FieldError } from '@app/platform';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AuthError, AuthErrorCode } from './auth.errors';
import { PasswordStrengthWorker, StrengthReport } from './password-strength-worker';

/** zxcvbn's "safely unguessable" (about 10^8 guesses and more). */
const MIN_SCORE = 3;
/** A shorter match with the email or name can be chance ("ann" in "annual"). */
const MIN_PERSONAL_TOKEN = 4;
const PERSONAL_DATA = 'The password is built on your email address or name.';
const TOO_GUESSABLE = 'The password is too easy to guess.';

export interface PasswordOwner {
  email: string;
  name?: string;
}

export type PasswordVerdict = { strong: true } | { strong: false; reasons: string[] };

/**
 * The rule for every new password (register, change, admin bootstrap): a zxcvbn score
 * of at least 3 with the common and English dictionaries, and not built on the
 * owner's email or name, which zxcvbn gets as user inputs. The check runs on a worker
 * thread that starts with the first check and exits when idle (see
 * password-strength-worker.ts): its ~65 MB are paid only while passwords are being set.
 */
@Injectable()
export class PasswordPolicy implements OnApplicationShutdown {
  private readonly worker = new PasswordStrengthWorker();

  /** After the HTTP server has drained (Nest runs this hook last), so no check is cut off. */
  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }

  async evaluate(password: string, owner: PasswordOwner): Promise<PasswordVerdict> {
    return verdictOf(await this.worker.check(password, userInputsOf(owner)));
  }

  /** Throws 400 PASSWORD_TOO_WEAK, zxcvbn's warning and suggestions in `errors[]`. */
  async assertStrong(password: string, owner: PasswordOwner, field: string): Promise<void> {
    const verdict = await this.evaluate(password, owner);
    if (!verdict.strong) {
      const errors: FieldError[] = verdict.reasons.map((message) => ({ field, message }));
      throw new AuthError(AuthErrorCode.PasswordTooWeak, 'The password is too easy to guess; see errors for why.', {
        errors,
      });
    }
  }
}

export function verdictOf(report: StrengthReport): PasswordVerdict {
  const personal = report.personalTokens.some((token) => token.length >= MIN_PERSONAL_TOKEN);
  if (report.score >= MIN_SCORE && !personal) {
    return { strong: true };
  }
  const reasons = [personal ? PERSONAL_DATA : (report.warning ?? TOO_GUESSABLE), ...report.suggestions];
  return { strong: false, reasons: [...new Set(reasons.filter((reason) => reason !== ''))] };
}

/**
 * What the password must not be built on: the email, its local part and domain and
 * their words (the top-level domain aside), and the name with and without spaces and its words. Words shorter than
 * three characters are left out: zxcvbn would find them inside any password.
 */
export function userInputsOf(owner: PasswordOwner): string[] {
  const email = owner.email.toLowerCase();
  const [local = '', domain = ''] = email.split('@');
  const name = (owner.name ?? '').toLowerCase().trim();
  const words = (text: string) => text.split(/[^\p{L}\p{N}]+/u);
  const inputs = [
    email,
    local,
    domain,
    ...words(local),
    ...words(domain).slice(0, -1),
    name,
    name.replace(/\s+/g, ''),
    ...words(name),
  ];
  return [...new Set(inputs.filter((input) => input.length >= 3))];
}
