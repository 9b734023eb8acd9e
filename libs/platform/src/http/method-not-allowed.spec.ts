import { MethodTable } from './method-not-allowed';

describe('MethodTable', () => {
  const table = new MethodTable();
  table.add('/v1/products', ['GET', 'HEAD']);
  table.add('/v1/products', 'POST');
  table.add('/v1/products/:id', ['GET', 'HEAD', 'PATCH', 'DELETE']);
  table.add('/v1/users/me', ['GET', 'PATCH']);
  table.add('/v1/users/:id', 'DELETE');
  table.add('/docs/*', ['GET', 'HEAD']);
  table.add('*', 'OPTIONS');

  it('lists the methods of the route that has the path, plus those routed everywhere', () => {
    expect(table.allowed('/v1/products')).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
    expect(table.allowed('/v1/products/abc')).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH']);
  });

  it('unites the routes a path matches (a static one and a parametric one)', () => {
    expect(table.allowed('/v1/users/me')).toEqual(['DELETE', 'GET', 'OPTIONS', 'PATCH']);
  });

  it('matches a trailing wildcard at any depth below its prefix', () => {
    expect(table.allowed('/docs/a/b.js')).toEqual(['GET', 'HEAD', 'OPTIONS']);
  });

  it('knows no path that only the everywhere-routes answer, nor an empty parameter or another depth', () => {
    expect(table.allowed('/v1/nothing')).toBeUndefined();
    expect(table.allowed('/v1/products/')).toBeUndefined();
    expect(table.allowed('/v1/products/a/b')).toBeUndefined();
    expect(table.allowed('/V1/PRODUCTS')).toBeUndefined();
  });
});
