import { selectRanks } from '../src/lib/engine/quantiles';
const n = 10000;
const data = new Float32Array(n);
for (let i = 0; i < n; i++) data[i] = Math.random();
const scratch = new Float32Array(n);
for (let rep = 0; rep < 3; rep++) {
  let t0 = performance.now();
  for (let k = 0; k < 1716; k++) { scratch.set(data); selectRanks(scratch, [499, 500, 2499, 2500, 4999, 5000, 7499, 7500, 9499, 9500, 4949, 5049]); }
  let t1 = performance.now();
  for (let k = 0; k < 1716; k++) { scratch.set(data); }
  let t2 = performance.now();
  const zeros = new Float32Array(n);
  for (let k = 0; k < 1716; k++) { scratch.set(zeros); selectRanks(scratch, [499, 500, 2499, 2500, 4999, 5000, 7499, 7500, 9499, 9500, 4949, 5049]); }
  let t3 = performance.now();
  console.log('select', (t1-t0).toFixed(0), 'copy', (t2-t1).toFixed(0), 'zeros', (t3-t2).toFixed(0));
}
