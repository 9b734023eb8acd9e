import { trustProxySetting } from './trust-proxy';

describe('TRUST_PROXY', () => {
  const parse = (value: string | undefined) => trustProxySetting.safeParse(value);

  it.each([undefined, '', 'false', '0', 'no', 'FALSE'])('%p: off', (value) => {
    expect(parse(value)).toMatchObject({ success: true, data: false });
  });

  it.each(['true', '1', 'yes', ' True '])('%p: every hop (the boolean settings keep their spellings)', (value) => {
    expect(parse(value)).toMatchObject({ success: true, data: true });
  });

  it('passes a list of proxies on, as Fastify reads it', () => {
    expect(parse(' 10.0.0.0/8 , loopback,192.0.2.7, 2001:db8::/32,uniquelocal,linklocal,::1 ')).toMatchObject({
      success: true,
      data: '10.0.0.0/8,loopback,192.0.2.7,2001:db8::/32,uniquelocal,linklocal,::1',
    });
  });

  it.each([
    ['a hop count (Fastify would trust no one)', '2'],
    ['a host name', 'proxy.internal'],
    ['a prefix too long', '10.0.0.0/33'],
    ['an IPv6 prefix too long', '2001:db8::/129'],
    ['a netmask instead of a prefix length', '10.0.0.0/255.0.0.0'],
    ['an empty item', '10.0.0.1,'],
    ['a second slash', '10.0.0.0/8/8'],
  ])('refuses %s, naming it', (_name, value) => {
    const result = parse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toMatch(/^must be true, false or the proxies' addresses/);
  });
});
