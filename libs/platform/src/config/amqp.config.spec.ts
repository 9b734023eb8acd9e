import { amqpConfig, brokerNames } from './amqp.config';

describe('amqp config: broker names from AMQP_NAME_PREFIX', () => {
  const saved = process.env.AMQP_NAME_PREFIX;
  afterEach(() => {
    if (saved === undefined) {
      delete process.env.AMQP_NAME_PREFIX;
    } else {
      process.env.AMQP_NAME_PREFIX = saved;
    }
  });

  it('derives the exchange and the queue prefix from one name', () => {
    expect(brokerNames('staging')).toEqual({ exchange: 'staging.events', queuePrefix: 'staging.' });
  });

  it('defaults to commerce (the exchange name of before the prefix)', () => {
    delete process.env.AMQP_NAME_PREFIX;
    expect(amqpConfig()).toMatchObject({ exchange: 'commerce.events', queuePrefix: 'commerce.' });
  });

  it('takes the deployment name from AMQP_NAME_PREFIX', () => {
    process.env.AMQP_NAME_PREFIX = 'shop-eu.prod';
    expect(amqpConfig()).toMatchObject({ exchange: 'shop-eu.prod.events', queuePrefix: 'shop-eu.prod.' });
  });

  it.each(['', '.leading-dot', 'with space', 'a/b', 'x'.repeat(65)])(
    'refuses %j at start, naming the variable',
    (name) => {
      process.env.AMQP_NAME_PREFIX = name;
      expect(() => amqpConfig()).toThrow(/AMQP_NAME_PREFIX/);
    },
  );
});
