// A worker thread's entry while the CLIs run from TypeScript source: register tsx in this thread, then load the thread.
import { register } from 'tsx/esm/api';

register();
await import('./thread.ts');
