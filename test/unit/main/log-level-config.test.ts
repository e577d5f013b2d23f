import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/main/config-error.js';
import { loadLogLevel } from '../../../src/main/log-output.js';

describe('LOG_LEVEL', () => {
  it('is info unless set, and takes each level the service writes, or silent', () => {
    expect(loadLogLevel({})).toBe('info');
    for (const level of ['error', 'warn', 'info', 'debug', 'silent']) expect(loadLogLevel({ LOG_LEVEL: level })).toBe(level);
  });

  it('refuses anything else, naming the variable and the accepted levels', () => {
    for (const bad of ['verbose', 'INFO', '']) {
      expect(() => loadLogLevel({ LOG_LEVEL: bad })).toThrow(ConfigError);
      expect(() => loadLogLevel({ LOG_LEVEL: bad })).toThrow(`LOG_LEVEL must be one of error, warn, info, debug, silent; got ${JSON.stringify(bad)}`);
    }
  });
});
