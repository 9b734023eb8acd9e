import { DEMO_ACCOUNTS } from './account-bootstrap';
import { PasswordPolicy, userInputsOf, verdictOf } from './password-policy';

describe('PasswordPolicy (zxcvbn on its worker thread)', () => {
  const policy = new PasswordPolicy();
  const owner = { email: 'ann.victim@example.com', name: 'Ann Victim' };

  afterAll(() => policy.onApplicationShutdown());

  it.each(['password1234', '123456789012', 'qwertyuiop123', 'aaaaaaaaaaaaaaaa', 'ann.victim@example.com'])(
    'refuses %s with a reason',
    async (password) => {
      const verdict = await policy.evaluate(password, owner);
      expect(verdict.strong).toBe(false);
      expect(verdict.strong === false && verdict.reasons.length).toBeGreaterThan(0);
    },
  );

  it.each(['annvictim2026!!', 'Victim-Ann-R7#kq', 'example-ann-victim-q8Zp!x'])(
    'refuses %s: built on the email or name',
    async (password) => {
      expect(await policy.evaluate(password, owner)).toEqual({
        strong: false,
        reasons: expect.arrayContaining(['The password is built on your email address or name.']),
      });
    },
  );

  it.each(['correct-horse-battery-staple', 'Tr0ub4dor&3-horse-staple', 'kX9#mQ2$vL7pZ4wN'])(
    'accepts %s',
    async (password) => {
      expect(await policy.evaluate(password, owner)).toEqual({ strong: true });
    },
  );

  it('accepts a strong password that happens to share a short word with the name', async () => {
    expect(await policy.evaluate('annual-otter-quilt-9', owner)).toEqual({ strong: true });
  });

  it('judges a 128-character password (the longest allowed) without failing', async () => {
    expect(await policy.evaluate('4@3$1!0|7+5'.repeat(12).slice(0, 128), owner)).toEqual({ strong: true });
    expect((await policy.evaluate('ab'.repeat(64), owner)).strong).toBe(false);
  });

  it('lets the demo accounts start: their passwords pass for their own email and name', async () => {
    for (const account of DEMO_ACCOUNTS) {
      expect(await policy.evaluate(account.password, account)).toEqual({ strong: true });
    }
  });

  it('answers concurrent checks each with its own verdict', async () => {
    const verdicts = await Promise.all(
      ['password1234', 'correct-horse-battery-staple', '123456789012'].map((p) => policy.evaluate(p, owner)),
    );
    expect(verdicts.map((v) => v.strong)).toEqual([false, true, false]);
  });

  it('throws PASSWORD_TOO_WEAK with one errors[] entry per reason, on the given field', async () => {
    const error = await policy.assertStrong('password1234', owner, 'newPassword').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PASSWORD_TOO_WEAK', kind: 'invalid_input' });
    const errors = (error as { errors: Array<{ field: string; message: string }> }).errors;
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.field === 'newPassword' && e.message.length > 0)).toBe(true);
    expect(errors[0].message).toBe('This is similar to a commonly used password.');
  });
});

describe('verdictOf', () => {
  const report = { score: 3, warning: null, suggestions: [], personalTokens: [] };

  it('passes score 3 and above without personal data', () => {
    expect(verdictOf(report)).toEqual({ strong: true });
    expect(verdictOf({ ...report, personalTokens: ['ann'] })).toEqual({ strong: true });
  });

  it('gives a reason even when zxcvbn has no warning', () => {
    expect(verdictOf({ ...report, score: 2 })).toEqual({
      strong: false,
      reasons: ['The password is too easy to guess.'],
    });
    expect(verdictOf({ ...report, score: 1, warning: 'W', suggestions: ['S1', 'S2'] })).toEqual({
      strong: false,
      reasons: ['W', 'S1', 'S2'],
    });
  });

  it('refuses a strong-scoring password built on a personal word of four characters or more', () => {
    expect(verdictOf({ ...report, score: 4, personalTokens: ['victim'] })).toEqual({
      strong: false,
      reasons: ['The password is built on your email address or name.'],
    });
  });
});

describe('userInputsOf', () => {
  it('splits the email and name into the words zxcvbn should look for', () => {
    expect(userInputsOf({ email: 'Ann.Victim+shop@Mail.Example.com', name: 'Ann  de Victim' }).sort()).toEqual(
      [
        'ann',
        'ann  de victim',
        'anndevictim',
        'ann.victim+shop',
        'ann.victim+shop@mail.example.com',
        'example',
        'mail',
        'mail.example.com',
        'shop',
        'victim',
      ].sort(),
    );
  });
});
