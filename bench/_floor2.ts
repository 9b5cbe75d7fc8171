import { NormalSource, openStream } from '../src/lib/engine/random';
const T = 132, n = 10000, C = 256;
const out = Array.from({length: 13}, () => new Float32Array(T*n));
const chunk = Array.from({length: 13}, () => new Float32Array(T*C));
for (let rep = 0; rep < 4; rep++) {
  let t1 = performance.now(); let tt = 0;
  for (let c0 = 0; c0 < n; c0 += C) {
    const cn = Math.min(C, n - c0);
    for (let j = 0; j < cn; j++) {
      const i = c0 + j;
      const a = openStream(1, i, 'policy'), b = new NormalSource(openStream(1, i, 'demand')), c = new NormalSource(openStream(1, i, 'exports')), d = new NormalSource(openStream(1, i, 'price'));
      const base = j * T;
      for (let t = 0; t < T; t++) {
        const at = base + t;
        const x = a(), y = b.next(), z = c.next(), w = d.next();
        chunk[0][at] = x; chunk[1][at] = y; chunk[2][at] = z; chunk[3][at] = w; chunk[4][at] = x; chunk[5][at] = y; chunk[6][at] = z; chunk[7][at] = w; chunk[8][at] = x; chunk[9][at] = y; chunk[10][at] = z; chunk[11][at] = w; chunk[12][at] = x;
      }
    }
    const q = performance.now();
    for (let m = 0; m < 13; m++) { const src = chunk[m], dst = out[m];
      for (let t = 0; t < T; t++) { const row = t * n + c0; for (let j = 0; j < cn; j++) dst[row + j] = src[j * T + t]; } }
    tt += performance.now() - q;
  }
  let t2 = performance.now();
  console.log('draws+writes', (t2-t1).toFixed(0), 'of which transpose', tt.toFixed(0));
}
