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

const DONE = ['finished', 'failed', 'diverged', 'cancelled'];

/** Progress of a sweep from its counts: a bar with one segment per status, and a text. */
export function progress(sweep) {
  const counts = sweep.counts || {};
  const total = Math.max(sweep.total || 0, Object.values(counts).reduce((s, v) => s + v, 0) - (counts.interrupted || 0));
  const done = DONE.reduce((s, k) => s + (counts[k] || 0), 0);
  const bar = h('div', { class: 'progress', title: Object.entries(counts).filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`).join(', ') });
  for (const k of ['finished', 'diverged', 'failed', 'cancelled', 'running']) {
    if (counts[k]) bar.append(h('span', { class: `seg status-${k}`, style: { width: `${(100 * counts[k]) / Math.max(total, 1)}%` } }));
  }
  const parts = [`${done}/${total} done`];
  if (counts.running) parts.push(`${counts.running} running`);
  if (counts.queued) parts.push(`${counts.queued} queued`);
  for (const k of ['failed', 'diverged', 'cancelled']) if (counts[k]) parts.push(`${counts[k]} ${k}`);
  return h('div', { class: 'progress-cell' }, bar, h('span', { class: 'progress-text' }, parts.join(' · ')));
}

/** The metric most worth showing by default among summary/metric keys. */
export function preferredKey(keys, prefs = ['eval/return_mean', 'test/accuracy', 'val/accuracy', 'episode/return', 'train/loss']) {
  for (const p of prefs) if (keys.includes(p)) return p;
  return keys[0];
}

export function lowerIsBetter(key) {
  return /loss|error|length|regret|time/i.test(key || '');
}
