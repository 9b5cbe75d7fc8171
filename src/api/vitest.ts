// PLACEHOLDER for packaging only: the real matcher comes from the `api` branch and replaces this file.
import { expect } from 'vitest';
import { loadScenario } from './index';

export function scenario(source: string) {
	return Promise.resolve(loadScenario(source));
}

export { expect };
