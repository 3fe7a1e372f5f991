// Grouping runs that share a configuration across seeds, and the mean curve with a band.
import { bandOf, mulberry32 } from './stats.js';

/** A stable key for a configuration: params with sorted keys (the seed is not a param). */
export function configKey(params) {
  return JSON.stringify(sortKeys(params || {}));
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  }
  return value;
}

/** A short id for a configuration, used in shareable URLs (FNV-1a, 32 bit, hex). */
export function configId(params) {
  const s = configKey(params);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Param names whose values differ between runs: the part of a config worth showing in a legend. */
export function varyingParams(runs) {
  const names = new Set();
  for (const r of runs) Object.keys(r.params || {}).forEach((k) => names.add(k));
  const varying = [...names].filter((k) => new Set(runs.map((r) => JSON.stringify((r.params || {})[k]))).size > 1);
  return varying.sort();
}

export function configLabel(params, keys) {
  const shown = keys && keys.length ? keys : Object.keys(params || {}).sort();
  if (shown.length === 0) return 'default config';
  return shown.map((k) => `${k}=${formatParam((params || {})[k])}`).join(' ');
}

function formatParam(v) {
  if (v === undefined) return '–';
  if (typeof v === 'number') return String(+v.toPrecision(6));
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Groups runs by configuration, in first-seen order: [{key, id, params, runs}]. */
export function groupByConfig(runs) {
  const groups = new Map();
  for (const r of runs) {
    const key = configKey(r.params);
    if (!groups.has(key)) groups.set(key, { key, id: configId(r.params), params: r.params || {}, runs: [] });
    groups.get(key).runs.push(r);
  }
  return [...groups.values()];
}

/** Linear interpolation of (xs, ys) at x; NaN outside [xs[0], xs[last]]. xs ascending. */
export function interpolate(xs, ys, x) {
  const n = xs.length;
  if (n === 0 || x < xs[0] || x > xs[n - 1]) return NaN;
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid; else hi = mid;
  }
  if (xs[lo] === x) return ys[lo];
  if (xs[hi] === x) return ys[hi];
  const t = (x - xs[lo]) / (xs[hi] - xs[lo]);
  return ys[lo] + t * (ys[hi] - ys[lo]);
}

/**
 * Mean curve of several runs of one configuration with a band of the chosen kind (stats.BANDS: `ci`,
 * the default, is a seeded 95% bootstrap CI of the mean and never leaves the observed values; `sem`,
 * `std`, `minmax`, `none`). Curves are interpolated onto a shared grid of `points` x values spanning
 * all of them, so runs logged at different steps line up; at each x only the runs that reached it
 * count (n), and a band needs n >= 2. When every curve has the same x values (same logging
 * schedule), those x values are the grid.
 */
export function meanBand(curves, points = 400, kind = 'ci', seed = 1) {
  const usable = curves.filter((c) => c.x.length > 0);
  if (usable.length === 0) return { x: [], mean: [], lo: [], hi: [], n: [] };
  const grid = sharedGrid(usable, points);
  const out = { x: grid, mean: [], lo: [], hi: [], n: [] };
  const rng = mulberry32(seed);
  for (const x of grid) {
    const vals = [];
    for (const c of usable) {
      const v = interpolate(c.x, c.y, x);
      if (Number.isFinite(v)) vals.push(v);
    }
    const b = bandOf(vals, kind, rng);
    out.mean.push(b.mean);
    out.lo.push(b.lo);
    out.hi.push(b.hi);
    out.n.push(b.n);
  }
  return out;
}

function sharedGrid(curves, points) {
  const first = curves[0].x;
  const same = curves.every((c) => c.x.length === first.length && c.x.every((v, i) => v === first[i]));
  if (same && first.length <= points * 2) return first.slice();
  let min = Infinity, max = -Infinity;
  for (const c of curves) { min = Math.min(min, c.x[0]); max = Math.max(max, c.x[c.x.length - 1]); }
  if (min === max) return [min];
  return Array.from({ length: points }, (_, i) => min + (max - min) * i / (points - 1));
}
