import { resolveScenarioArguments } from '../../src/cli/scenario-files';
import type { Scenario } from '../../src/lib/scenario/schema';

const cache = new Map<string, Scenario>();

/** A scenario from scenarios/, resolved once per test file. */
export function scenario(id: string): Scenario {
	if (!cache.has(id)) cache.set(id, resolveScenarioArguments([id])[0]);
	return cache.get(id)!;
}

/** The message of the first problem of an InputError thrown by `run`. */
export function messageOf(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		const problems = (error as { problems?: { message: string }[] }).problems;
		if (problems) return problems[0].message;
		throw error;
	}
	throw new Error('expected an error');
}

export async function asyncMessageOf(run: () => Promise<unknown>): Promise<string> {
	try {
		await run();
	} catch (error) {
		const problems = (error as { problems?: { message: string }[] }).problems;
		if (problems) return problems[0].message;
		throw error;
	}
	throw new Error('expected an error');
}
