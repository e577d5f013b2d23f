import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/main/config.js';
import { loadTracingConfig } from '../../../src/main/tracing-config.js';

describe('tracing configuration (OTEL_*)', () => {
  it('is off without an OTLP endpoint, or when the SDK is disabled', () => {
    expect(loadConfig({}, { store: 'memory' }).tracing).toBeNull();
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBeNull();
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBeNull();
  });

  it('sends to <endpoint>/v1/traces, or to the traces endpoint as given, named es-core unless OTEL_SERVICE_NAME says otherwise', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, { store: 'memory' }).tracing).toEqual({ tracesUrl: 'http://collector:4318/v1/traces', serviceName: 'es-core' });
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/base', OTEL_SERVICE_NAME: 'orders' })).toEqual({ tracesUrl: 'https://otel.example.com/base/v1/traces', serviceName: 'orders' });
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom/traces', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toEqual({
      tracesUrl: 'http://collector:4318/custom/traces',
      serviceName: 'es-core',
    });
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' })).not.toBeNull();
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL of an OTLP collector'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL of an OTLP collector, e.g. http://127.0.0.1:4318; got "not a url"'],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' }, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http(s) URL'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL must be http/json (this service exports spans as OTLP/HTTP JSON); got "grpc"'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL must be http/json'],
    [{ OTEL_SDK_DISABLED: 'yes' }, 'OTEL_SDK_DISABLED must be true or false; got "yes"'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_SAMPLER: 'ratio' }, 'OTEL_TRACES_SAMPLER must be one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio; got "ratio"'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '10%' }, 'OTEL_TRACES_SAMPLER_ARG must be a sampling ratio from 0 to 1, e.g. 0.1; got "10%"'],
  ])('refuses %j, naming what it accepts', (env, message) => {
    expect(() => loadConfig(env, { store: 'memory' })).toThrow(ConfigError);
    expect(() => loadConfig(env, { store: 'memory' })).toThrow(message);
  });
});
