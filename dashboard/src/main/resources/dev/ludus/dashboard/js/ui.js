// Small DOM and formatting helpers shared by the views.

/** h('div', {class: 'x', onclick: fn}, child, 'text', [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  appendAll(el, children);
  return el;
}

function appendAll(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** A message box for loading, empty and error states. kind: loading | empty | error | info */
export function stateBox(kind, message, ...extra) {
  return h('div', { class: `state state-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message, ...extra);
}

/**
 * A number for people: whole numbers below 10 million exactly, with thousands separators; others with
 * at most `digits` significant digits (4 in tables and tooltips, 3 on axes); exponent only below 0.001 or from 10 million, and "–" for
 * a missing or non-finite value (never "NaN", never 0.02910000012500016).
 */
export function fmtNum(v, digits = 4) {
  if (v === null || v === undefined || v === '') return '–';
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e7) return v.toLocaleString('en-US');   // counts, steps, seeds: exact
  if (a < 1e-3 || a >= 1e7) return v.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e');
  const rounded = +v.toPrecision(digits);
  if (Number.isInteger(rounded)) return rounded.toLocaleString('en-US');
  return String(rounded);
}

/** Axis tick labels: 3 significant digits, so ticks read 0.0291, 1,500 or 2.5e-4. */
export function fmtAxis(v) {
  return fmtNum(v, 3);
}

export function fmtSigned(v, digits = 4) {
  return (v > 0 ? '+' : '') + fmtNum(v, digits);
}

export function fmtPct(v) {
  return Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–';
}

export function fmtTime(ms) {
  if (!ms) return '–';
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function fmtDuration(startMs, endMs) {
  if (!startMs) return '–';
  let s = Math.max(0, Math.round(((endMs || Date.now()) - startMs) / 1000));
  const hrs = Math.floor(s / 3600); s -= hrs * 3600;
  const min = Math.floor(s / 60); s -= min * 60;
  return hrs ? `${hrs}h ${min}m` : min ? `${min}m ${s}s` : `${s}s`;
}

export function statusBadge(status) {
  return h('span', { class: `badge status-${status || 'unknown'}` }, status || 'unknown');
}

export function taskSummary(task) {
  if (!task || !task.type || task.type === 'tracking' || task.type === 'external') return 'tracked (logged through the API)';
  if (task.type === 'rl') {
    return ['rl', task.env, task.agent, task.steps !== undefined ? `${fmtNum(task.steps)} steps` : null].filter(Boolean).join(' · ');
  }
  if (task.type === 'classification') {
    const dataset = typeof task.dataset === 'string' ? task.dataset.split(/[\\/]/).pop() : task.dataset;
    return ['classification', dataset, task.epochs !== undefined ? `${task.epochs} epochs` : null].filter(Boolean).join(' · ');
  }
  return task.type;
}

// Runs that ran to an end. Cancelled runs did not: a cancelled sweep of 16 with 3 finished reads
// "3/16 done · 13 cancelled", never "16/16 done" with a full bar.
const DONE = ['finished', 'failed', 'diverged'];

/** Progress of a sweep from its counts: a bar with one segment per status, and a text. */
export function progress(sweep) {
  const counts = sweep.counts || {};
  // interrupted runs were re-queued as new runs: they are attempts, not trials of the sweep
  const total = Math.max(sweep.total || 0, Object.values(counts).reduce((s, v) => s + v, 0) - (counts.interrupted || 0));
  const done = DONE.reduce((s, k) => s + (counts[k] || 0), 0);
  const bar = h('div', { class: 'progress', title: Object.entries(counts).filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`).join(', ') });
  for (const k of ['finished', 'diverged', 'failed', 'running', 'cancelled']) {
    if (counts[k]) bar.append(h('span', { class: `seg status-${k}`, style: { width: `${(100 * counts[k]) / Math.max(total, 1)}%` } }));
  }
  const parts = [`${done}/${total} done`];
  if (counts.running) parts.push(`${counts.running} running`);
  if (counts.queued) parts.push(`${counts.queued} queued`);
  for (const k of ['failed', 'diverged', 'cancelled']) if (counts[k]) parts.push(`${counts[k]} ${k}`);
  if (counts.interrupted) parts.push(`${counts.interrupted} interrupted (re-run)`);
  return h('div', { class: 'progress-cell' }, bar, h('span', { class: 'progress-text' }, parts.join(' · ')));
}

/** The closest of `names` to `name` by edit distance, when it is close enough to be a typo. */
export function closest(name, names) {
  let best = null, bestD = Infinity;
  for (const n of names) {
    const d = editDistance(name.toLowerCase(), n.toLowerCase());
    if (d < bestD) { best = n; bestD = d; }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

function editDistance(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Names in a filter that no run has (`params.lrr`, `summary.eval/retrun_mean`), each with the closest
 * existing name: a filter on a missing name matches nothing and says nothing, so the view says it.
 */
export function unknownFilterNames(filter, runs) {
  const known = { params: new Set(), summary: new Set() };
  for (const r of runs) {
    Object.keys(r.params || {}).forEach((k) => known.params.add(k));
    Object.keys(r.summary || {}).forEach((k) => known.summary.add(k));
  }
  const out = [];
  for (const m of (filter || '').matchAll(/\b(params|summary)\.([A-Za-z0-9_./-]*[A-Za-z0-9_])/g)) {
    const [, kind, name] = m;
    if (known[kind].has(name) || out.some((u) => u.name === `${kind}.${name}`)) continue;
    const near = closest(name, [...known[kind]]);
    out.push({ name: `${kind}.${name}`, suggestion: near ? `${kind}.${near}` : null });
  }
  return out;
}

/** The metric most worth showing by default among summary/metric keys. */
export function preferredKey(keys, prefs = ['eval/return_mean', 'test/accuracy', 'val/accuracy', 'episode/return', 'train/loss']) {
  for (const p of prefs) if (keys.includes(p)) return p;
  return keys.find((k) => !k.startsWith('sys/')) ?? keys[0]; // system samples (sys/cpu_percent) are never the default
}

export function lowerIsBetter(key) {
  return /loss|error|length|regret|time/i.test(key || '');
}
