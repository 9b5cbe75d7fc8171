import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import { createExecutorApi } from '../executors/remote';

/** A Node worker thread of the runner: it serves the coordinator's jobs, as a web worker helper does. */
Comlink.expose(createExecutorApi(), nodeEndpoint(parentPort!));
