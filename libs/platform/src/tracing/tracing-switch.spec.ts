import { tracingRequested } from './tracing-switch';

describe('tracingRequested (the standard OTEL_* variables decide)', () => {
  it.each<[string, NodeJS.ProcessEnv, boolean]>([
    ['nothing set: off', {}, false],
    ['empty values: off', { OTEL_TRACES_EXPORTER: '', OTEL_EXPORTER_OTLP_ENDPOINT: '' }, false],
    ['an OTLP endpoint: on', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    ['a traces endpoint: on', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    ['an exporter named: on', { OTEL_TRACES_EXPORTER: 'otlp' }, true],
    ['console exporter: on', { OTEL_TRACES_EXPORTER: ' console ' }, true],
    [
      'exporter none: off, whatever the endpoint',
      { OTEL_TRACES_EXPORTER: 'otlp,none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
      false,
    ],
    ['SDK disabled: off', { OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }, false],
    ['SDK disabled false: on', { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }, true],
    ['only a service name: off', { OTEL_SERVICE_NAME: 'shop' }, false],
  ])('%s', (_, env, expected) => {
    expect(tracingRequested(env)).toBe(expected);
  });
});
