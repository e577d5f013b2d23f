import { idempotencyCrashSuite, STORES } from './idempotency-crash.suite.js';

idempotencyCrashSuite(STORES.postgres);
