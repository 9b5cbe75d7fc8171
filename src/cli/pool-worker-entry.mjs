// Worker entry point when the CLI runs from TypeScript source: register tsx in this thread, then load the worker.
import { register } from 'tsx/esm/api';

register();
await import('./pool-worker.ts');
