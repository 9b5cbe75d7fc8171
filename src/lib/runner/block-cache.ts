import { allocateBlock, type PathBlock } from '../engine/simulate';
import { metricCount } from '../model/metrics';
import type { Scenario } from '../scenario/schema';
import { monthRange } from '../time/months';
import { scenarioKey } from '../limits';

/**
 * Floats the coordinating worker keeps in cached path blocks (about 200 MB with model 2.0's 19
 * metrics): two runs of 10,000 paths × 132 months of every metric, so that the comparison cell's
 * library scenario stays cached beside the run on screen, and a slider move does not cost the
 * comparison a second full simulation.
 */
export const BLOCK_CACHE_FLOATS = 2 * 10_000 * 132 * metricCount;

interface Entry {
	key: string;
	block: PathBlock;
	floats: number;
}

/**
 * Raw paths the coordinating worker has simulated, newest last, within a memory budget. A request
 * is served from a cached block of the same scenario and seed that covers its paths and months:
 * months are simulated in order from the start, so a scenario cut short (as the analyses do, to
 * the year they look at) has the same first months as the whole one, and path i is path i whatever
 * the path count. So the notebook's own run feeds threshold, formula and comparison cells, and a
 * scenario that did not change is not simulated again.
 */
export class BlockCache {
	private entries: Entry[] = [];

	constructor(private readonly budgetFloats = BLOCK_CACHE_FLOATS) {}

	static key(scenario: Scenario, seed: number): string {
		return scenarioKey({ ...scenario, end: '' }, { seed });
	}

	put(scenario: Scenario, seed: number, block: PathBlock): void {
		if (block.firstPath !== 0) return;
		const floats = block.pathCount * block.monthCount * metricCount;
		if (floats > this.budgetFloats) return;
		const key = BlockCache.key(scenario, seed);
		this.entries = this.entries.filter((e) => !(e.key === key && e.block.pathCount <= block.pathCount && e.block.monthCount <= block.monthCount));
		this.entries.push({ key, block, floats });
		let total = this.entries.reduce((sum, e) => sum + e.floats, 0);
		while (total > this.budgetFloats) total -= this.entries.shift()!.floats;
	}

	/** Paths [firstPath, firstPath + pathCount) of the scenario over its months, if a cached block covers them. */
	get(scenario: Scenario, seed: number, firstPath: number, pathCount: number): PathBlock | undefined {
		const key = BlockCache.key(scenario, seed);
		const monthCount = monthRange(scenario.start, scenario.end).length;
		const index = this.entries.findLastIndex((e) => e.key === key && e.block.monthCount >= monthCount && firstPath + pathCount <= e.block.pathCount);
		if (index < 0) return undefined;
		const [entry] = this.entries.splice(index, 1);
		this.entries.push(entry);
		return sliceBlock(entry.block, firstPath, pathCount, monthCount);
	}

	clear(): void {
		this.entries = [];
	}
}

/** A copy of some paths and the first months of a block starting at path 0. */
export function sliceBlock(block: PathBlock, firstPath: number, pathCount: number, monthCount: number): PathBlock {
	if (firstPath === 0 && pathCount === block.pathCount && monthCount === block.monthCount) return block;
	const out = allocateBlock(firstPath, pathCount, monthCount);
	for (let m = 0; m < metricCount; m++) {
		const source = block.metrics[m];
		const target = out.metrics[m];
		for (let t = 0; t < monthCount; t++) {
			const from = t * block.pathCount + firstPath;
			target.set(source.subarray(from, from + pathCount), t * pathCount);
		}
	}
	return out;
}
