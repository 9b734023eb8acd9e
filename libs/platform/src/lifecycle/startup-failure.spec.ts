import { describeStartupFailure, explainListenError, StartupError } from './startup-failure';

describe('explainListenError', () => {
  it('names the variable that picks a port already in use', () => {
    const error = Object.assign(new Error('listen EADDRINUSE: address already in use 0.0.0.0:3000'), {
      code: 'EADDRINUSE',
    });
    const explained = explainListenError(error, 'the API', '0.0.0.0:3000', 'PORT');
    expect(explained).toBeInstanceOf(StartupError);
    expect((explained as Error).message).toBe(
      'the API cannot listen on 0.0.0.0:3000: the port is in use; set PORT to a free port',
    );
  });

  it('says a low port needs privileges', () => {
    const explained = explainListenError({ code: 'EACCES' }, 'the API', '0.0.0.0:80', 'PORT') as Error;
    expect(explained.message).toContain('set PORT to a port above 1023');
  });

  it('leaves other errors as they are', () => {
    const error = new Error('getaddrinfo ENOTFOUND nowhere');
    expect(explainListenError(error, 'the API', 'nowhere:3000', 'PORT')).toBe(error);
  });
});

describe('describeStartupFailure', () => {
  it('is the message of an error, on one line', () => {
    expect(describeStartupFailure(new Error('initdb failed.\nERROR OUTPUT: disk full\n'))).toBe(
      'initdb failed. | ERROR OUTPUT: disk full',
    );
  });

  it('never says undefined for a rejection with no value', () => {
    expect(describeStartupFailure(undefined)).not.toContain('undefined');
    expect(describeStartupFailure(null)).toContain('without saying why');
  });

  it('falls back to the name of an error with no message, and the text of anything else', () => {
    expect(describeStartupFailure(new TypeError(''))).toBe('TypeError');
    expect(describeStartupFailure('plain text')).toBe('plain text');
  });

  it('keeps a huge message to one readable line', () => {
    expect(describeStartupFailure(new Error('x'.repeat(2000))).length).toBeLessThan(600);
  });
});
