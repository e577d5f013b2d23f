import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/main/config.js';

describe('METRICS', () => {
  it('is prometheus unless told emf or both', () => {
    expect(loadConfig({}, { store: 'memory' }).metrics).toBe('prometheus');
    expect(loadConfig({ METRICS: 'emf' }, { store: 'memory' }).metrics).toBe('emf');
    expect(loadConfig({ METRICS: 'both' }, { store: 'memory' }).metrics).toBe('both');
  });

  it.each(['', 'EMF', 'cloudwatch', 'emf,prometheus', ' both'])('refuses %j, naming what it accepts', (value) => {
    expect(() => loadConfig({ METRICS: value }, { store: 'memory' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS: value }, { store: 'memory' })).toThrow(`METRICS must be one of emf, prometheus, both; got ${JSON.stringify(value)}`);
  });
});
