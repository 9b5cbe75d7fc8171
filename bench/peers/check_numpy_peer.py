"""Checks the numpy peer against the engine, both from one export of bench/peers/export-draws.ts:

- the model: the peer's float32 block against the engine's, every value bit for bit (NaN equal to
  NaN): per metric the max abs and relative difference, how many values differ, and the first
  (month, path) where it differs;
- the summary: `summarise` (sorting every column) against the engine's `summariseBlock`
  (`summary.f64`, when exported), on the engine's block: percentiles and the median's standard
  error exactly, the share above zero exactly, the mean to 1e-12 relative (numpy adds pairwise,
  the engine in path order).

Usage: python3 bench/peers/check_numpy_peer.py [DIR=/tmp/numpy-peer] [--runs 5]
Exit status 1 when anything differs."""
import sys
import time

import numpy as np

from numpy_model import SUMMARY_STATISTICS, check_constants, load, simulate, summarise

MEAN_TOLERANCE = 1e-12


def check_block(header, engine, peer):
    months = header['months']
    differing = 0
    first = None
    print(f'{"metric":18} {"max |diff|":>12} {"max rel":>10} {"values differ":>14}  first (month, path)')
    for m, name in enumerate(header['metrics']):
        a, b = engine[m], peer[m]
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        count = int(same.size - np.count_nonzero(same))
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
    if first:
        t, m, i = first
        print(f'first divergence: month {months[t]} (t={t}), metric {header["metrics"][m]}, path {i}; {differing} values differ in all')
        return False
    print('model: bit-exact, every float32 value matches')
    return True


def check_summary(header, engine_summary, block):
    peer = summarise(block)
    ok = True
    worst_mean = 0.0
    for s, statistic in enumerate(SUMMARY_STATISTICS):
        a, b = engine_summary[:, s, :], peer[:, s, :]
        if statistic == 'mean':
            # Relative to the column's typical magnitude, so that a mean near 0 is not divided by ~0.
            scale = np.maximum(np.abs(block).astype(np.float64).mean(axis=2), 1e-300)
            rel = np.where(np.isnan(a) & np.isnan(b), 0.0, np.abs(a - b) / scale)
            worst_mean = float(np.max(rel))
            if not worst_mean <= MEAN_TOLERANCE:
                ok = False
                m, t = np.unravel_index(np.argmax(rel), rel.shape)
                print(f'summary mean differs by {worst_mean:.3g} relative: {header["metrics"][m]} t={t}')
            continue
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        if not same.all():
            ok = False
            m, t = np.argwhere(~same)[0]
            print(f'summary {statistic}: {int((~same).sum())} values differ, first {header["metrics"][m]} t={t}: '
                  f'engine {a[m, t]!r} numpy {b[m, t]!r}')
    if ok:
        print(f'summary: percentiles, se50 and share above zero exact; mean within {worst_mean:.2g} relative '
              f'({len(header["metrics"])} metrics × {len(header["months"])} months)')
    return ok


def main():
    args = sys.argv[1:]
    runs = 5
    if '--runs' in args:
        at = args.index('--runs')
        runs = int(args[at + 1])
        del args[at:at + 2]
    directory = args[0] if args else '/tmp/numpy-peer'
    header, data = load(directory)
    check_constants(header)
    engine = data['block']
    peer = np.empty_like(engine)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        simulate(header, data['parameters'], data['plantUniforms'], data['pinned'], data['uniforms'], data['normals'], peer)
        times.append((time.perf_counter() - start) * 1000)
    print(f'numpy peer vs engine: {header["scenario"]}, {header["paths"]} paths × {len(header["months"])} months')
    ok = check_block(header, engine, peer)
    if 'summary' in data:
        ok = check_summary(header, data['summary'], engine) and ok
    else:
        print('summary: not checked (no summary.f64 in the export)')
    engine_ms = header.get('engineMsMedian')
    line = f'numpy {np.median(times):.1f} ms median of {runs} (min {min(times):.1f})'
    if engine_ms:
        line += (f'; engine {engine_ms:.1f} ms median (draws cached, exporter run, not alternated); '
                 f'engine / numpy {engine_ms / np.median(times):.2f}')
    print(line)
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
