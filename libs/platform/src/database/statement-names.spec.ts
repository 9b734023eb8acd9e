import { StatementNames } from './statement-names';

describe('StatementNames', () => {
  it('gives each statement text one name, the same on every call', () => {
    const names = new StatementNames(true);
    const first = names.queryConfig('SELECT 1', []);
    const again = names.queryConfig('SELECT 1', [2]);
    const other = names.queryConfig('SELECT 2', []);
    expect(first.name).toBeDefined();
    expect(again).toEqual({ name: first.name, text: 'SELECT 1', values: [2] });
    expect(other.name).not.toBe(first.name);
  });

  it('names a text alike in every instance, so instances may share connections', () => {
    const one = new StatementNames(true);
    const other = new StatementNames(true);
    other.queryConfig('SELECT 2', []);
    expect(other.queryConfig('SELECT 1', []).name).toBe(one.queryConfig('SELECT 1', []).name);
  });

  it('names nothing behind a transaction-pooling PgBouncer', () => {
    expect(new StatementNames(false).queryConfig('SELECT 1', [1])).toEqual({ text: 'SELECT 1', values: [1] });
  });

  it('runs texts past its bound unnamed, so SQL built at run time cannot grow it', () => {
    const names = new StatementNames(true, 2);
    names.queryConfig('SELECT 1', []);
    names.queryConfig('SELECT 2', []);
    expect(names.queryConfig('SELECT 3', []).name).toBeUndefined();
    expect(names.queryConfig('SELECT 1', []).name).toBeDefined();
  });
});
