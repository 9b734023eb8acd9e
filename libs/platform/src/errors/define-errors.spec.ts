import { defineErrors, ErrorCodeOf } from './define-errors';
import { DomainError, ErrorKind } from './domain-error';

class ParcelError extends defineErrors('ParcelError', {
  NotFound: ['SPEC_PARCEL_NOT_FOUND', ErrorKind.NotFound],
  TooHeavy: ['SPEC_PARCEL_TOO_HEAVY', ErrorKind.InvalidInput],
  Throttled: ['SPEC_PARCEL_THROTTLED', ErrorKind.RateLimited],
}) {}
const ParcelErrorCode = ParcelError.codes;
type ParcelErrorCode = ErrorCodeOf<typeof ParcelErrorCode>;

describe('defineErrors', () => {
  it('names each code, as an enum would', () => {
    expect(ParcelErrorCode).toEqual({
      NotFound: 'SPEC_PARCEL_NOT_FOUND',
      TooHeavy: 'SPEC_PARCEL_TOO_HEAVY',
      Throttled: 'SPEC_PARCEL_THROTTLED',
    });
    const code: ParcelErrorCode = ParcelErrorCode.TooHeavy;
    expect(code).toBe('SPEC_PARCEL_TOO_HEAVY');
    expect(Object.isFrozen(ParcelErrorCode)).toBe(true);
  });

  it("builds an error with its code's kind, the feature's name and the message", () => {
    const error = new ParcelError(ParcelErrorCode.NotFound, 'No such parcel.');
    expect(error).toBeInstanceOf(ParcelError);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ParcelError',
      code: 'SPEC_PARCEL_NOT_FOUND',
      kind: ErrorKind.NotFound,
      message: 'No such parcel.',
    });
    expect(new ParcelError(ParcelErrorCode.TooHeavy, 'x').kind).toBe(ErrorKind.InvalidInput);
    expect(new ParcelError(ParcelErrorCode.Throttled, 'x').kind).toBe(ErrorKind.RateLimited);
  });

  it('carries field errors and the transport-neutral details', () => {
    const errors = [{ field: 'weight', message: 'must be at most 30 kg' }];
    const error = new ParcelError(ParcelErrorCode.TooHeavy, 'The parcel is too heavy.', { errors });
    expect(error.errors).toEqual(errors);
    expect(error.retryAfterSeconds).toBeUndefined();
    const throttled = new ParcelError(ParcelErrorCode.Throttled, 'Slow down.', { retryAfterSeconds: 7 });
    expect(throttled).toMatchObject({ retryAfterSeconds: 7, errors: undefined });
  });

  it('names the class after its owner when the defined class itself is thrown', () => {
    const Bare = defineErrors('BareError', { Gone: ['SPEC_BARE_GONE', ErrorKind.NotFound] });
    expect(new Bare(Bare.codes.Gone, 'x').name).toBe('BareError');
  });

  it('refuses a code another table defines, and one defined twice in a table', () => {
    expect(() => defineErrors('ThiefError', { Lost: ['SPEC_PARCEL_NOT_FOUND', ErrorKind.NotFound] })).toThrow(
      'ThiefError.Lost: error code "SPEC_PARCEL_NOT_FOUND" is already defined by ParcelError; raise that error instead',
    );
    expect(() =>
      defineErrors('TwinError', { A: ['SPEC_TWIN', ErrorKind.Conflict], B: ['SPEC_TWIN', ErrorKind.Conflict] }),
    ).toThrow('TwinError.B: error code "SPEC_TWIN" is already defined by TwinError');
    // A refused table claims none of its codes.
    expect(() => defineErrors('TwinError', { A: ['SPEC_TWIN', ErrorKind.Conflict] })).not.toThrow();
  });

  it('refuses a code that is not UPPER_SNAKE', () => {
    expect(() => defineErrors('LowerError', { Bad: ['spec_lower', ErrorKind.Conflict] })).toThrow(
      'LowerError.Bad: error code "spec_lower" is not UPPER_SNAKE',
    );
  });

  it('is typed: a code needs a kind, and an error takes only its own codes', () => {
    // @ts-expect-error a code without a kind does not compile
    expect(() => defineErrors('KindlessError', { NoKind: ['SPEC_NO_KIND'] })).toBeDefined();
    // @ts-expect-error another table's code does not compile
    expect(new ParcelError('SPEC_SOMETHING_ELSE', 'x')).toBeDefined();
    // @ts-expect-error field errors go in the details, not as a bare array
    expect(new ParcelError(ParcelErrorCode.TooHeavy, 'x', [{ field: 'a', message: 'b' }])).toBeDefined();
  });
});
