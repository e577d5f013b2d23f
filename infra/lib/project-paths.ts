import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file rather than the working directory: synth works from anywhere in the clone. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HANDLER_ENTRY = join(PROJECT_ROOT, 'src', 'main', 'lambda-stream-handler.ts');
export const HTTP_HANDLER_ENTRY = join(PROJECT_ROOT, 'src', 'main', 'lambda-http-handler.ts');
export const SQS_HANDLER_ENTRY = join(PROJECT_ROOT, 'src', 'main', 'lambda-sqs-handler.ts');
export const LOCK_FILE = join(PROJECT_ROOT, 'package-lock.json');
export const TSCONFIG = join(PROJECT_ROOT, 'tsconfig.json');
