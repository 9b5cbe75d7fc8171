import seedrandom from 'seedrandom';
import { NormalSource } from '../src/lib/engine/random';
for (let rep = 0; rep < 3; rep++) {
  const r = seedrandom.tychei('x'); let s = 0;
  let t0 = performance.now(); for (let i = 0; i < 10_000_000; i++) s += r(); let t1 = performance.now();
  const ns = new NormalSource(seedrandom.tychei('y'));
  for (let i = 0; i < 10_000_000; i++) s += ns.next(); let t2 = performance.now();
  let gens = 0; for (let i = 0; i < 10000; i++) { const g = seedrandom.tychei('seed/' + i + '/demand'); for (let k = 0; k < 1000; k++) s += g(); } let t3 = performance.now();
  console.log('uniform M/s', (10000/(t1-t0)).toFixed(0), 'normal M/s', (10000/(t2-t1)).toFixed(0), 'many gens M/s', (10000/(t3-t2)).toFixed(0), s > 0);
}
