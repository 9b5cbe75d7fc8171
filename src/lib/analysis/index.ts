/**
 * Analyses over engine data: pure, deterministic, no `node:` imports, so each runs the same in a
 * browser worker and in Node. See each file for the details.
 */
export * from './common';
export * from './threshold';
export * from './indicator';
export * from './compare';
export * from './tornado';
export * from './attribution';
export * from './convergence';
export * from './formula';
export * from './narrative';
