"""Compares the numpy peer's block with the engine's, both from one export of
bench/peers/export-draws.ts: per metric the max abs difference, how many values differ, and the
first (month, path) where it differs (earliest month first, then metric order).
Usage: python3 bench/peers/check_numpy_peer.py [/tmp/numpy-peer] [--runs 5]
Exit status 1 when any value differs."""
import sys

import numpy as np

from numpy_model import load, simulate
import time


def main():
    args = [a for a in sys.argv[1:]]
    runs = 5
    if '--runs' in args:
        at = args.index('--runs')
        runs = int(args[at + 1])
        del args[at:at + 2]
    directory = args[0] if args else '/tmp/numpy-peer'
    header, data = load(directory)
    engine = data['block']
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        peer = simulate(header, data['parameters'], data['plantUniforms'], data['pinned'], data['monthly'])
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    n, months = header['paths'], header['months']
    print(f'numpy peer vs engine: {header["scenario"]}, {n} paths × {len(months)} months')
    differing = 0
    first = None
    print(f'{"metric":18} {"max |diff|":>12} {"max rel":>10} {"values differ":>14}  first (month, path)')
    for m, name in enumerate(header['metrics']):
        a, b = engine[m], peer[m]
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        count = int((~same).sum())
        diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
        diff[same] = 0
        rel = diff / np.maximum(np.abs(a.astype(np.float64)), 1e-30)
        where = ''
        if count:
            t, i = np.argwhere(~same)[0]
            where = f'{months[t]} (t={t}), path {i}: engine {a[t, i]!r} numpy {b[t, i]!r}'
            if first is None or t < first[0]:
                first = (t, m, i)
        differing += count
        print(f'{name:18} {np.nanmax(diff):12.4g} {np.nanmax(rel):10.3g} {count:14d}  {where}')
    print(f'numpy {np.median(times):.1f} ms median of {runs} (min {times[0]:.1f}); engine {header["engineMsMedian"]:.1f} ms median '
          f'(draws cached, exporter run); engine / numpy {header["engineMsMedian"] / np.median(times):.2f}')
    if first:
        t, m, i = first
        print(f'first divergence: month {months[t]} (t={t}), metric {header["metrics"][m]}, path {i}; {differing} values differ in all')
        sys.exit(1)
    print('bit-exact: every float32 value matches')


if __name__ == '__main__':
    main()
