import { ConfigError } from './config-error.js';

/** Where spans go: an OTLP/HTTP collector. */
export interface TracingConfig {
  /** The full URL spans are POSTed to, e.g. http://127.0.0.1:4318/v1/traces. */
  readonly tracesUrl: string;
  /** `service.name` of every span's resource. */
  readonly serviceName: string;
}

const DEFAULT_SERVICE_NAME = 'es-core';
/** What @opentelemetry/exporter-trace-otlp-http sends. */
const PROTOCOL = 'http/json';
/** The samplers the SDK reads from OTEL_TRACES_SAMPLER itself; it would fall back silently on anything else. */
const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

const httpUrl = (name: string, raw: string): URL => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL of an OTLP collector, e.g. http://127.0.0.1:4318; got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name} must be an http(s) URL of an OTLP collector (OTLP over HTTP); got ${JSON.stringify(raw)}`);
  return url;
};

/**
 * Tracing is on when `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (the traces URL itself) or `OTEL_EXPORTER_OTLP_ENDPOINT`
 * (the collector's base URL, to which `/v1/traces` is added) is set, as the OpenTelemetry specification reads them;
 * off (null) otherwise or with `OTEL_SDK_DISABLED=true`. `OTEL_SERVICE_NAME` names the service (es-core). Spans go
 * over OTLP/HTTP as JSON: another `OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL` is refused rather than silently ignored, as
 * is a sampler (`OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`) the SDK would replace by its default. The SDK reads
 * those two, `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_RESOURCE_ATTRIBUTES` itself.
 */
export const loadTracingConfig = (env: NodeJS.ProcessEnv = process.env): TracingConfig | null => {
  const disabled = (env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase();
  if (disabled !== '' && disabled !== 'true' && disabled !== 'false') throw new ConfigError(`OTEL_SDK_DISABLED must be true or false; got ${JSON.stringify(env.OTEL_SDK_DISABLED)}`);
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() ?? '';
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() ?? '';
  if (disabled === 'true' || (traces === '' && base === '')) return null;
  const tracesUrl = traces !== '' ? httpUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', traces).href : `${httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base).href.replace(/\/+$/, '')}/v1/traces`;
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL'] as const) {
    const protocol = env[name]?.trim();
    if (protocol && protocol !== PROTOCOL) throw new ConfigError(`${name} must be ${PROTOCOL} (this service exports spans as OTLP/HTTP JSON); got ${JSON.stringify(protocol)}`);
  }
  const sampler = env.OTEL_TRACES_SAMPLER?.trim();
  if (sampler && !SAMPLERS.includes(sampler)) throw new ConfigError(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}; got ${JSON.stringify(sampler)}`);
  const ratio = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (ratio && sampler?.endsWith('traceidratio') && !(/^(0(\.\d+)?|1(\.0+)?)$/.test(ratio))) {
    throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG must be a sampling ratio from 0 to 1, e.g. 0.1; got ${JSON.stringify(ratio)}`);
  }
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME;
  return { tracesUrl, serviceName };
};
