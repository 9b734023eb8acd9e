import { isDependencyFailure } from './dependency-failure';

describe('isDependencyFailure', () => {
  it('recognises a lost database connection however TypeORM reports it', () => {
    for (const name of ['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']) {
      const error = new Error('released');
      error.name = name;
      expect(isDependencyFailure(error)).toBe(true);
    }
    expect(isDependencyFailure(Object.assign(new Error('x'), { driverError: { code: '57P01' } }))).toBe(true);
    expect(isDependencyFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    // A statement that ran past its timeout: the database did not answer in time.
    expect(
      isDependencyFailure(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })),
    ).toBe(true);
  });

  it('does not turn a bug into a 503', () => {
    expect(isDependencyFailure(new TypeError('x is undefined'))).toBe(false);
    expect(isDependencyFailure(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
  });
});
