/**
 * Whether the standard OTEL_* variables ask for traces: an exporter named in
 * OTEL_TRACES_EXPORTER (other than `none`) or an OTLP endpoint, and the SDK not
 * disabled. Anything else is off, and off loads no OpenTelemetry module at all.
 */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') {
    return false;
  }
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (exporters.includes('none')) {
    return false;
  }
  return exporters.length > 0 || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}
