import { NormalSource, openStream } from '../src/lib/engine/random';
const T = 132, n = 10000;
const out = Array.from({length: 13}, () => new Float32Array(T*n));
for (let rep = 0; rep < 3; rep++) {
  let t0 = performance.now();
  let streamsOnly = 0;
  for (let i = 0; i < n; i++) {
    const a = openStream(1, i, 'policy'), b = new NormalSource(openStream(1, i, 'demand')), c = new NormalSource(openStream(1, i, 'exports')), d = new NormalSource(openStream(1, i, 'price'));
    const p = openStream(1, i, 'parameters'); for (let k = 0; k < 38; k++) streamsOnly += p();
    openStream(1, i, 'events');
  }
  let t1 = performance.now();
  for (let i = 0; i < n; i++) {
    const a = openStream(1, i, 'policy'), b = new NormalSource(openStream(1, i, 'demand')), c = new NormalSource(openStream(1, i, 'exports')), d = new NormalSource(openStream(1, i, 'price'));
    for (let t = 0; t < T; t++) {
      const at = t * n + i;
      const x = a(), y = b.next(), z = c.next(), w = d.next();
      out[0][at] = x; out[1][at] = y; out[2][at] = z; out[3][at] = w; out[4][at] = x; out[5][at] = y; out[6][at] = z; out[7][at] = w; out[8][at] = x; out[9][at] = y; out[10][at] = z; out[11][at] = w; out[12][at] = x;
    }
  }
  let t2 = performance.now();
  console.log('open streams', (t1-t0).toFixed(0), 'draws+writes', (t2-t1).toFixed(0));
}
