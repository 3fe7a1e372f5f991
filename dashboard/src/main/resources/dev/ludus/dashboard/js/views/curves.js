// #/sweeps/7/curves?runs=1,2&key=episode/return&x=step&smooth=ema&amount=0.6&log=1&group=1
// Overlaid learning curves. Series come bucketed from the server (min/max/mean per x bucket), so a
// view of many long runs moves a few thousand numbers per run, not every point.
import { api, q } from '../api.js';
import { throttle } from '../live.js';
import { h, stateBox, statusBadge, fmtNum, fmtAxis, preferredKey } from '../ui.js';
import { createChart, colorAt, shadeOf, bandSeries, baseGrid } from '../charts.js';
import { BANDS, robustExtent } from '../stats.js';
import { smooth, windowFor } from '../smoothing.js';
import { varyingParams, configLabel, groupByConfig, meanBand } from '../curves-math.js';

export const BUCKETS = 500;
const MAX_DEFAULT_RUNS = 50;

export async function curvesView(main, ctx, sweepId) {
  const state = {
    runs: (ctx.query.get('runs') || '').split(',').filter(Boolean).map(Number),
    key: ctx.query.get('key') || '',
    x: ctx.query.get('x') === 'wall' ? 'wall' : 'step',
    smooth: ['ema', 'ma'].includes(ctx.query.get('smooth')) ? ctx.query.get('smooth') : 'none',
    amount: clamp(Number(ctx.query.get('amount') || 0.6), 0, 0.99),
    log: ctx.query.get('log') === '1',
    group: ctx.query.get('group') === '1',
    band: Object.hasOwn(BANDS, ctx.query.get('band')) ? ctx.query.get('band') : 'ci',
    fullY: ctx.query.get('fully') === '1',
  };

  const runList = h('div', { class: 'run-list', id: 'curve-runs' }, stateBox('loading', 'Loading runs…'));
  const keySelect = h('select', { id: 'curve-key', 'aria-label': 'Metric' });
  const xSelect = h('select', { id: 'curve-x', 'aria-label': 'x axis' },
    h('option', { value: 'step', selected: state.x === 'step' }, 'step'),
    h('option', { value: 'wall', selected: state.x === 'wall' }, 'wall time'));
  const smoothSelect = h('select', { id: 'curve-smooth', 'aria-label': 'Smoothing' },
    h('option', { value: 'none', selected: state.smooth === 'none' }, 'no smoothing'),
    h('option', { value: 'ema', selected: state.smooth === 'ema' }, 'EMA'),
    h('option', { value: 'ma', selected: state.smooth === 'ma' }, 'moving average'));
  const slider = h('input', { type: 'range', id: 'curve-amount', min: 0, max: 0.99, step: 0.01, value: state.amount, 'aria-label': 'Smoothing amount' });
  const amountLabel = h('span', { class: 'muted', id: 'curve-amount-label' });
  const logBox = h('input', { type: 'checkbox', id: 'curve-log', checked: state.log });
  const groupBox = h('input', { type: 'checkbox', id: 'curve-group', checked: state.group });
  const bandSelect = h('select', { id: 'curve-band', 'aria-label': 'Band around the mean of the seeds' },
    Object.entries(BANDS).map(([k, text]) => h('option', { value: k, selected: k === state.band }, text)));
  const fullYBox = h('input', { type: 'checkbox', id: 'curve-fully', checked: state.fullY });
  const status = h('div', { class: 'muted', id: 'curve-status' });
  const chartEl = h('div', { class: 'chart tall', id: 'curves-chart' });
  const chartBox = h('div', { id: 'curves-body' }, stateBox('loading', 'Loading curves…'));

  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Curves'),
      h('a', { href: `#/sweeps/${sweepId}`, id: 'back-to-sweep' }, `← sweep ${sweepId}`)),
    h('div', { class: 'curves' },
      h('aside', { class: 'panel' }, h('h2', {}, 'Runs'),
        h('div', { class: 'row' },
          h('button', { type: 'button', onclick: () => selectAll(true) }, 'all'),
          h('button', { type: 'button', onclick: () => selectAll(false) }, 'none')),
        runList),
      h('section', { class: 'panel grow' },
        h('div', { class: 'controls' },
          h('label', {}, 'metric ', keySelect),
          h('label', {}, 'x ', xSelect),
          h('label', {}, smoothSelect, ' ', slider, ' ', amountLabel),
          h('label', {}, logBox, ' log scale'),
          h('label', { title: 'Runs with the same hyperparameters and different seeds become one mean curve with a band' },
            groupBox, ' group seeds'),
          h('label', { title: 'The band drawn around each configuration\'s mean over its seeds. The bootstrap CI never leaves the observed values.' },
            'band ', bandSelect),
          h('label', { title: 'Off: the y axis spans the 1st to 99th percentile of what is drawn, so one spike does not flatten every line' },
            fullYBox, ' full y range')),
        status, chartBox)));

  let sweepRuns = [];
  try {
    sweepRuns = await api(`/sweeps/${sweepId}/runs`);
  } catch (e) {
    if (!ctx.alive) return;
    // a missing sweep is the whole page, not an error in the run list beside empty controls
    if (e.status === 404) main.replaceChildren(stateBox('error', `Could not load the runs of sweep ${sweepId}: ${e.describe()}`, ' ', h('a', { href: '#/' }, 'Go to the sweeps list.')));
    else { runList.replaceChildren(stateBox('error', `Could not load the runs of sweep ${sweepId}: ${e.describe()}`)); chartBox.replaceChildren(); }
    return;
  }
  if (!ctx.alive) return;
  if (sweepRuns.length === 0) {
    runList.replaceChildren(stateBox('empty', 'This sweep has no runs.'));
    chartBox.replaceChildren(stateBox('empty', 'Nothing to plot: this sweep has no runs.'));
    return;
  }
  if (state.runs.length === 0) state.runs = sweepRuns.slice(0, MAX_DEFAULT_RUNS).map((r) => r.id);
  const selected = new Set(state.runs.filter((id) => sweepRuns.some((r) => r.id === id)));
  const cache = new Map();   // `${runId}|${key}|${x}` -> {x:[], y:[], points}
  const keysByRun = new Map();
  let chart = null;

  function renderRunList() {
    const varying = varyingParams(sweepRuns);
    runList.replaceChildren(...sweepRuns.map((r) => h('label', { class: 'run-item', dataset: { runId: r.id } },
      h('input', {
        type: 'checkbox', checked: selected.has(r.id),
        onchange: (e) => { if (e.target.checked) selected.add(r.id); else selected.delete(r.id); changed(); },
      }),
      h('span', { class: 'run-name' }, r.name || `run ${r.id}`,
        h('span', { class: 'muted' }, ` ${configLabel(r.params, varying)}`)),
      statusBadge(r.status))));
  }

  function selectAll(on) {
    sweepRuns.forEach((r) => (on ? selected.add(r.id) : selected.delete(r.id)));
    renderRunList();
    changed();
  }

  async function loadKeys() {
    const missing = [...selected].filter((id) => !keysByRun.has(id));
    await Promise.all(missing.map(async (id) => {
      try { keysByRun.set(id, await api(`/runs/${id}/metrics`)); } catch { keysByRun.set(id, []); }
    }));
    const keys = [...new Set([...selected].flatMap((id) => keysByRun.get(id) || []))].sort();
    if (!keys.includes(state.key)) state.key = preferredKey(keys, ['episode/return', 'eval/return_mean', 'val/accuracy', 'train/loss']) || '';
    keySelect.replaceChildren(...keys.map((k) => h('option', { value: k, selected: k === state.key }, k)));
    return keys;
  }

  async function fetchSeries(run) {
    const cacheKey = `${run.id}|${state.key}|${state.x}`;
    if (cache.has(cacheKey)) return cache.get(cacheKey);
    const s = await api(`/runs/${run.id}/series?key=${q(state.key)}&buckets=${BUCKETS}&x=${state.x}`);
    const ys = s.mean || s.value || [];
    let xs = s.step || [];
    if (state.x === 'wall') {
      // Seconds since the run started (or since its first point, for runs that logged earlier wall times).
      const first = s.wall && s.wall.length ? s.wall[0] : Infinity;
      const t0 = Math.min(run.startedAt || Infinity, first);
      xs = (s.wall || []).map((w) => (w - t0) / 1000);
    }
    const entry = {
      x: xs, y: ys, points: (s.count || []).reduce((a, b) => a + b, 0) || ys.length,
      // When buckets hold several points the mean hides spikes; their min-max range is drawn faintly.
      range: s.min && s.max && (s.count || []).some((c) => c > 1) ? { lo: s.min, hi: s.max } : null,
    };
    cache.set(cacheKey, entry);
    return entry;
  }

  function syncUrl() {
    ctx.setQuery({
      runs: [...selected].join(','), key: state.key, x: state.x === 'step' ? null : state.x,
      smooth: state.smooth === 'none' ? null : state.smooth, amount: state.smooth === 'none' ? null : state.amount,
      log: state.log ? 1 : null, group: state.group ? 1 : null,
      band: state.group && state.band !== 'ci' ? state.band : null, fully: state.fullY ? 1 : null,
    });
    bandSelect.disabled = !state.group;
    amountLabel.textContent = state.smooth === 'ema' ? `weight ${state.amount.toFixed(2)}`
      : state.smooth === 'ma' ? `window ${windowFor(state.amount)} points` : '';
    slider.disabled = state.smooth === 'none';
  }

  let generation = 0;
  async function draw() {
    const mine = ++generation;
    syncUrl();
    const runs = sweepRuns.filter((r) => selected.has(r.id));
    if (runs.length === 0) {
      chartBox.replaceChildren(stateBox('empty', 'Select one or more runs on the left to plot their curves.'));
      status.textContent = '';
      return;
    }
    const started = performance.now();
    const keys = await loadKeys();
    if (!ctx.alive || mine !== generation) return;
    syncUrl();
    if (keys.length === 0) {
      chartBox.replaceChildren(stateBox('empty', 'The selected runs have not logged any metric yet; curves appear as soon as they do.'));
      status.textContent = '';
      return;
    }
    if (!chartBox.contains(chartEl)) chartBox.replaceChildren(stateBox('loading', `Loading ${state.key} for ${runs.length} runs…`));
    let series;
    try {
      series = await Promise.all(runs.map((r) => fetchSeries(r)));
    } catch (e) {
      if (ctx.alive && mine === generation) chartBox.replaceChildren(stateBox('error', `Could not load ${state.key}: ${e.describe ? e.describe() : e.message}`));
      return;
    }
    if (!ctx.alive || mine !== generation) return;
    if (!chartBox.contains(chartEl)) chartBox.replaceChildren(chartEl);
    chart = chart || createChart(ctx, chartEl);
    const { option, hiddenNonPositive, yClipped } = buildOption(runs, series);
    delete chartEl.dataset.drawnAt;
    chart.off('finished');
    // performance.now() counts from navigation start: the benchmark reads how long until the chart was on screen.
    chart.on('finished', () => { chartEl.dataset.drawnAt = Math.round(performance.now()); chart.off('finished'); });
    chart.setOption(option, true);
    const ms = Math.round(performance.now() - started);
    const points = series.reduce((s, c) => s + c.points, 0);
    const plotted = series.reduce((s, c) => s + c.y.length, 0);
    chartEl.dataset.loadMs = ms;
    const empty = series.filter((c) => c.y.length === 0).length;
    status.textContent = `${runs.length} run${runs.length > 1 ? 's' : ''} · ${fmtNum(points)} stored points drawn as ${fmtNum(plotted)} buckets · ${ms} ms`
      + (empty ? ` · ${empty} run${empty > 1 ? 's have' : ' has'} no ${state.key} yet` : '')
      + (hiddenNonPositive ? ` · ${hiddenNonPositive} values ≤ 0 hidden on the log scale` : '')
      + (yClipped ? ' · a few extreme values lie beyond the y axis (tick "full y range" to see them)' : '');
  }

  function buildOption(runs, series) {
    const varying = varyingParams(runs);
    const out = [];
    let hiddenNonPositive = 0;
    const prepare = (ys) => {
      const s = smooth(ys, state.smooth, state.amount);
      if (!state.log) return s;
      return s.map((v) => { if (v > 0) return v; hiddenNonPositive += 1; return null; });
    };
    const pairs = (xs, ys) => xs.map((x, i) => [x, ys[i]]);
    // Configurations keep one colour family in both modes: the group's colour, its seeds in shades of it.
    const groups = groupByConfig(runs);
    const colorOfRun = new Map();
    groups.forEach((g, i) => g.runs.forEach((r, j) => colorOfRun.set(r.id, shadeOf(colorAt(i), j, g.runs.length))));
    const drawn = [];   // every y value on screen, for the y extent
    const bandsById = new Map();   // mean series id -> its band, for the tooltip
    if (state.group) {
      groups.forEach((g, i) => {
        const color = colorAt(i);
        const curves = g.runs.map((r) => series[runs.indexOf(r)]).map((c) => ({ x: c.x, y: smooth(c.y, state.smooth, state.amount) }));
        const band = meanBand(curves, 400, state.band);
        const name = `${configLabel(g.params, varying)} (${g.runs.length} seed${g.runs.length > 1 ? 's' : ''})`;
        const clean = (ys) => (state.log ? ys.map((v) => (v > 0 ? v : null)) : ys);
        if (g.runs.length > 1 && state.band !== 'none') {
          out.push(bandSeries({ id: `band-${g.id}`, name, xs: band.x, lo: clean(band.lo), hi: clean(band.hi), color }));
          drawn.push(...band.lo, ...band.hi);
        }
        drawn.push(...band.mean);
        bandsById.set(`mean-${g.id}`, band);
        out.push({
          id: `mean-${g.id}`, name, type: 'line', showSymbol: band.x.length <= 60, itemStyle: { color }, lineStyle: { width: 2, color },
          data: pairs(band.x, prepareGroup(band.mean)), z: 3,
        });
      });
    } else {
      runs.forEach((r, i) => {
        const c = series[i];
        const color = colorOfRun.get(r.id);
        if (c.range && runs.length <= 20) {
          const clean = (ys) => (state.log ? ys.map((v) => (v > 0 ? v : null)) : ys);
          out.push(bandSeries({ id: `range-${r.id}`, name: `${r.name || `run ${r.id}`} · ${configLabel(r.params, varying)}`,
            xs: c.x, lo: clean(c.range.lo), hi: clean(c.range.hi), color, opacity: 0.1 }));
        }
        const ys = prepare(c.y);
        drawn.push(...ys);
        out.push({
          id: `run-${r.id}`, name: `${r.name || `run ${r.id}`} · ${configLabel(r.params, varying)}`, type: 'line',
          showSymbol: c.x.length <= 60, itemStyle: { color }, lineStyle: { width: 1.5, color },
          data: pairs(c.x, ys),
        });
      });
    }
    // One spike (a diverged bucket, a single wild seed) must not flatten every other line: unless asked,
    // the y axis spans the 1st-99th percentile of what is drawn. Log axes keep ECharts' own extent.
    const extent = state.log || state.fullY ? null : robustExtent(drawn);
    function prepareGroup(ys) {
      if (!state.log) return ys;
      return ys.map((v) => { if (v > 0) return v; hiddenNonPositive += 1; return null; });
    }
    return {
      hiddenNonPositive,
      yClipped: !!(extent && extent.clipped),
      option: {
        animation: false,
        // long configuration names are cut to fit and shown whole on hover
        legend: { type: 'scroll', top: 0, left: 0, right: 0, tooltip: { show: true }, textStyle: { width: 260, overflow: 'truncate' } },
        grid: { ...baseGrid(), top: 48 },
        tooltip: state.group
          ? { trigger: 'axis', confine: true, formatter: (ps) => groupTooltip(ps, bandsById) }
          : { trigger: 'axis', confine: true, valueFormatter: (v) => fmtNum(v) },
        xAxis: {
          type: 'value', scale: true, name: state.x === 'step' ? 'step (env steps for RL, epochs for classifiers)' : 'wall time (s since the run started)',
          nameLocation: 'middle', nameGap: 30, axisLabel: { formatter: fmtAxis },
          // steps and epochs are whole numbers: no tick at epoch 1.5
          minInterval: state.x === 'step' ? 1 : undefined,
        },
        yAxis: {
          type: state.log ? 'log' : 'value', scale: true, name: state.key, nameLocation: 'end', axisLabel: { formatter: fmtAxis },
          min: extent ? niceFloor(extent.min, extent.max - extent.min) : undefined,
          max: extent ? niceCeil(extent.max, extent.max - extent.min) : undefined,
        },
        dataZoom: [{ type: 'inside', filterMode: 'none' }],
        series: out,
      },
    };
  }

  function changed() { draw(); }
  keySelect.addEventListener('change', () => { state.key = keySelect.value; draw(); });
  xSelect.addEventListener('change', () => { state.x = xSelect.value; draw(); });
  smoothSelect.addEventListener('change', () => { state.smooth = smoothSelect.value; draw(); });
  slider.addEventListener('input', () => { state.amount = Number(slider.value); draw(); });
  logBox.addEventListener('change', () => { state.log = logBox.checked; draw(); });
  groupBox.addEventListener('change', () => { state.group = groupBox.checked; draw(); });
  bandSelect.addEventListener('change', () => { state.band = bandSelect.value; draw(); });
  fullYBox.addEventListener('change', () => { state.fullY = fullYBox.checked; draw(); });

  // Live: new points invalidate the cached series of that run; new statuses refresh the list.
  const redraw = throttle(draw, 1500);
  const reloadRuns = throttle(async () => {
    try { sweepRuns = await api(`/sweeps/${sweepId}/runs`); } catch { return; }
    if (ctx.alive) renderRunList();
  }, 1000);
  ctx.live((type, data) => {
    if (type === 'metrics' && selected.has(Number(data.runId))) {
      const keys = new Set((data.points || []).map((p) => p.key));
      if (!keysByRun.get(Number(data.runId))?.length || [...keys].some((k) => !(keysByRun.get(Number(data.runId)) || []).includes(k))) {
        keysByRun.delete(Number(data.runId));
      }
      if (keys.has(state.key) || !state.key) {
        for (const x of ['step', 'wall']) cache.delete(`${data.runId}|${state.key}|${x}`);
        redraw();
      }
    } else if (type === 'run' && String(data.sweepId) === String(sweepId)) {
      reloadRuns();
    }
  });

  renderRunList();
  await draw();
}

/** A grouped curve's tooltip: each configuration's mean with its band and how many seeds reach this step. */
function groupTooltip(ps, bandsById) {
  const list = Array.isArray(ps) ? ps : [ps];
  if (list.length === 0) return '';
  const esc = (t) => echarts.format.encodeHTML(String(t));
  const lines = list.map((p) => {
    const b = bandsById.get(p.seriesId);
    const y = Array.isArray(p.value) ? p.value[1] : p.value;
    const i = p.dataIndex;
    const spread = b && b.n[i] > 1 && b.hi[i] !== b.lo[i] ? ` [${fmtNum(b.lo[i])}, ${fmtNum(b.hi[i])}]` : '';
    return `${p.marker}${esc(p.seriesName)}: <b>${fmtNum(y)}</b>${spread}${b ? ` · n = ${b.n[i]}` : ''}`;
  });
  return [`${esc(fmtNum(list[0].axisValue))}`, ...lines].join('<br>');
}

/** Rounds an axis bound outwards to a step of about a tenth of the span, so ticks land on round numbers. */
function niceStep(span) {
  const raw = (span || 1) / 10;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
}
function niceFloor(v, span) { const s = niceStep(span); return Math.floor(v / s) * s; }
function niceCeil(v, span) { const s = niceStep(span); return Math.ceil(v / s) * s; }

function clamp(v, lo, hi) {
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo;
}
