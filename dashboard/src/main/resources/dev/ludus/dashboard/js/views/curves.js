// #/sweeps/7/curves?runs=1,2&key=episode/return&x=step&smooth=ema&amount=0.6&log=1&group=1
// Overlaid learning curves. Series come bucketed from the server (min/max/mean per x bucket), so a
// view of many long runs moves a few hundred numbers per run, not every point, and a few batch
// requests (GET /api/curves, 250 runs each) fetch them all. How many buckets, on which edges, and the
// metric shown first are the server's choice (GET /api/curves/defaults, /api/curves/keys' preferredKey):
// its start-up warm-up caches exactly what this view then asks for. Past MANY_RUNS ungrouped runs the
// curves are thin translucent lines, one canvas path per colour; hovering picks one out.
import { api, q } from '../api.js';
import { throttle } from '../live.js';
import { h, stateBox, statusBadge, fmtNum, fmtAxis } from '../ui.js';
import { createChart, colorAt, shadeOf, bandSeries, baseGrid, PALETTE } from '../charts.js';
import { BANDS, robustExtent } from '../stats.js';
import { smooth, windowFor } from '../smoothing.js';
import { varyingParams, configLabel, groupByConfig, meanBand, interpolate } from '../curves-math.js';

const MAX_DEFAULT_RUNS = 50;
/** Past this many ungrouped runs a line per run with its own legend entry and tooltip row stops being readable. */
export const MANY_RUNS = 50;
/** Runs per /api/curves request: several requests keep both server cores busy (the server allows 1,000). */
const RUNS_PER_REQUEST = 250;
/** Runs per /api/curves/keys request (the server's limit). */
const MAX_RUNS_PER_KEYS_REQUEST = 1000;
/** The run fields this view uses: the listing without provenance, a third of the bytes. */
const RUN_FIELDS = 'id,sweepId,name,params,seed,status,startedAt';
/** A pointer within this many pixels of a thin line picks it out. */
const HOVER_PX = 8;
/**
 * The server's bucket count and alignment for a view of `runCount` runs, from GET /api/curves/defaults
 * ({resolutions: [{upToRuns, buckets, align}, …]} ordered by upToRuns). Asked for explicitly, not left
 * to `buckets=auto`: the view asks in slices of RUNS_PER_REQUEST and keys its cache by the count.
 */
function resolutionFor(defaults, runCount) {
  return defaults.resolutions.find((r) => runCount <= r.upToRuns) ?? defaults.resolutions[defaults.resolutions.length - 1];
}

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
  const hoverLine = h('div', { class: 'muted', id: 'curve-hover' });
  const chartBox = h('div', { id: 'curves-body' }, stateBox('loading', 'Loading curves…'));

  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Curves'),
      h('a', { href: `#/sweeps/${sweepId}`, id: 'back-to-sweep' }, `← sweep ${sweepId}`)),
    h('div', { class: 'curves' },
      h('aside', { class: 'panel' }, h('h2', {}, 'Runs'),
        h('div', { class: 'row' },
          h('button', { type: 'button', id: 'curve-all', onclick: () => selectAll(true) }, 'all'),
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
  // asked at once, answered while the runs load: the view needs them before its first curves request
  const defaultsAnswer = api('/curves/defaults').then((d) => ({ d }), (e) => ({ e }));
  try {
    sweepRuns = await api(`/sweeps/${sweepId}/runs?fields=${RUN_FIELDS}`);
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
  const { d: defaults, e: defaultsError } = await defaultsAnswer;
  if (!ctx.alive) return;
  if (defaultsError) {
    chartBox.replaceChildren(stateBox('error', `Could not load how the server draws curves: ${defaultsError.describe()}`));
    return;
  }
  if (state.runs.length === 0) state.runs = sweepRuns.slice(0, MAX_DEFAULT_RUNS).map((r) => r.id);
  const selected = new Set(state.runs.filter((id) => sweepRuns.some((r) => r.id === id)));
  const cache = new Map();   // `${runId}|${key}|${x}|${buckets}|${align}|${range}` -> {x:[], y:[], points, range}
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
    // the rows stay: ticking their boxes is cheaper than building a thousand rows again before the curves load
    for (const box of runList.querySelectorAll('.run-item input[type=checkbox]')) box.checked = on;
    changed();
  }

  async function loadKeys() {
    const wanted = [...selected];
    const missing = wanted.filter((id) => !keysByRun.has(id));
    // the server's preferred key among the selected runs' keys (its first MAX_RUNS_PER_KEYS_REQUEST, as the warm-up's)
    let preferred;
    const firstSlice = wanted.slice(0, MAX_RUNS_PER_KEYS_REQUEST).join(',');
    await Promise.all(slices(missing, MAX_RUNS_PER_KEYS_REQUEST).map(async (ids) => {
      try {
        const answer = await api(`/curves/keys?runs=${ids.join(',')}`);
        answer.runs.forEach((r) => keysByRun.set(r.id, r.keys));
        if (ids.join(',') === firstSlice) preferred = answer.preferredKey;
      } catch { ids.forEach((id) => keysByRun.set(id, [])); }
    }));
    const keys = [...new Set(wanted.flatMap((id) => keysByRun.get(id) || []))].sort();
    if (!keys.includes(state.key)) {
      if (preferred === undefined) {
        try { preferred = (await api(`/curves/keys?runs=${firstSlice}`)).preferredKey; } catch { preferred = null; }
      }
      state.key = preferred && keys.includes(preferred) ? preferred : keys[0] || '';
    }
    keySelect.replaceChildren(...keys.map((k) => h('option', { value: k, selected: k === state.key }, k)));
    return keys;
  }

  /** The selected runs' bucketed curves, in their order: cached ones from the cache, the rest in batch requests. */
  async function fetchCurves(runs) {
    // many runs: buckets on chunk boundaries, answered from the stored chunks' aggregates without decoding points
    const { buckets: n, align } = resolutionFor(defaults, runs.length);
    const withRange = runs.length <= 20;   // the faint min-max range is drawn for a few runs only
    const fields = ['step', ...(state.x === 'wall' ? ['wall'] : []), 'mean', ...(withRange ? ['min', 'max'] : [])];
    const cacheKey = (id) => `${id}|${state.key}|${state.x}|${n}|${align}|${withRange ? 'range' : ''}`;
    const missing = runs.filter((r) => !cache.has(cacheKey(r.id)));
    await Promise.all(slices(missing, RUNS_PER_REQUEST).map(async (part) => {
      let answer;
      try {
        answer = await api(`/curves?runs=${part.map((r) => r.id).join(',')}&key=${q(state.key)}&buckets=${n}&align=${align}&x=${state.x}&fields=${fields.join(',')}`);
      } catch (e) {
        if (e.status !== 404 || e.field !== 'key') throw e;
        answer = { runs: part.map((r) => ({ id: r.id, points: 0, step: [], wall: [], mean: [] })) };   // none of these logged it yet
      }
      mark('part-parsed');
      const byId = new Map(part.map((r) => [r.id, r]));
      for (const s of answer.runs) cache.set(cacheKey(s.id), curveOf(byId.get(s.id), s));
    }));
    return runs.map((r) => cache.get(cacheKey(r.id)));
  }

  function curveOf(run, s) {
    const ys = s.mean || [];
    let xs = s.step || [];
    if (state.x === 'wall') {
      // Seconds since the run started (or since its first point, for runs that logged earlier wall times).
      const first = s.wall && s.wall.length ? s.wall[0] : Infinity;
      const t0 = Math.min(run.startedAt || Infinity, first);
      xs = (s.wall || []).map((w) => (w - t0) / 1000);
    }
    return {
      x: xs, y: ys, points: s.points,
      // When buckets hold several points the mean hides spikes; their min-max range is drawn faintly.
      range: s.min && s.max && s.points > ys.length ? { lo: s.min, hi: s.max } : null,
    };
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
    clearMarks();
    mark('draw');
    const mine = ++generation;
    syncUrl();
    const runs = sweepRuns.filter((r) => selected.has(r.id));
    if (runs.length === 0) {
      chartBox.replaceChildren(stateBox('empty', 'Select one or more runs on the left to plot their curves.'));
      status.textContent = '';
      return;
    }
    const started = performance.now();
    // the metric asked for is usually one the runs have: its curves are fetched while the keys are checked
    const keyAsked = state.key;
    const early = keyAsked ? fetchCurves(runs).then((s) => ({ s }), (e) => ({ e })) : null;
    const keys = await loadKeys();
    mark('keys');
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
      if (early && state.key === keyAsked) {
        const got = await early;
        if (got.e) throw got.e;
        series = got.s;
      } else {
        series = await fetchCurves(runs);
      }
    } catch (e) {
      if (ctx.alive && mine === generation) chartBox.replaceChildren(stateBox('error', `Could not load ${state.key}: ${e.describe ? e.describe() : e.message}`));
      return;
    }
    mark('fetched');
    if (!ctx.alive || mine !== generation) return;
    if (!chartBox.contains(chartEl)) chartBox.replaceChildren(chartEl, hoverLine);
    if (!chart) {
      chart = createChart(ctx, chartEl);
      listenForHover();
    }
    const { option, hiddenNonPositive, yClipped, many } = buildOption(runs, series);
    mark('built');
    thin = many;
    highlight(null);
    delete chartEl.dataset.drawnAt;
    chart.off('finished');
    // performance.now() counts from navigation start: the benchmark reads how long until the chart was on screen.
    chart.on('finished', () => { chartEl.dataset.drawnAt = Math.round(performance.now()); chart.off('finished'); });
    chart.setOption(option, true);
    mark('set');
    const ms = Math.round(performance.now() - started);
    const points = series.reduce((s, c) => s + c.points, 0);
    const plotted = series.reduce((s, c) => s + c.y.length, 0);
    chartEl.dataset.loadMs = ms;
    const empty = series.filter((c) => c.y.length === 0).length;
    status.textContent = `${runs.length} run${runs.length > 1 ? 's' : ''} · ${fmtNum(points)} stored points drawn as ${fmtNum(plotted)} buckets · ${ms} ms`
      + (many ? ` · ${runs.length} thin translucent lines coloured by configuration: hover one to pick it out (or a run on the left), click it to open the run; “group seeds” draws one mean per configuration` : '')
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
    thinCurves = [];
    let xExtent = null;
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
    } else if (runs.length > MANY_RUNS) {
      // A thousand lines: each palette colour is one `lines` series drawn as one canvas path (ECharts'
      // large mode), its data one flat array [count, x0, y0, x1, y1, …, count, …]; no legend or tooltip
      // rows per run. The hovered run is drawn on top (highlight()).
      const groupOfRun = new Map();
      groups.forEach((g, i) => g.runs.forEach((r) => groupOfRun.set(r.id, i)));
      const flat = new Map();   // palette index -> numbers
      let xMin = Infinity, xMax = -Infinity;
      runs.forEach((r, i) => {
        const c = series[i];
        const ys = prepare(c.y);
        thinCurves.push({ run: r, x: c.x, y: ys, color: colorAt(groupOfRun.get(r.id)), label: `${r.name || `run ${r.id}`} · ${configLabel(r.params, varying)}` });
        const k = groupOfRun.get(r.id) % PALETTE.length;
        if (!flat.has(k)) flat.set(k, []);
        const into = flat.get(k);
        const at = into.length;
        into.push(0);
        for (let j = 0; j < c.x.length; j++) {
          if (ys[j] === null || !Number.isFinite(ys[j])) continue;
          into.push(c.x[j], ys[j]);
          drawn.push(ys[j]);
          if (c.x[j] < xMin) xMin = c.x[j];
          if (c.x[j] > xMax) xMax = c.x[j];
        }
        into[at] = (into.length - at - 1) / 2;
        if (into[at] < 2) into.length = at;   // a line needs two points
      });
      const opacity = Math.min(0.6, Math.max(0.15, 8 / Math.sqrt(runs.length)));
      for (const [k, numbers] of flat) {
        if (numbers.length === 0) continue;   // ECharts' large `lines` series fails on empty data
        out.push({
          id: `lines-${k}`, type: 'lines', coordinateSystem: 'cartesian2d', polyline: true, large: true, largeThreshold: 0,
          silent: true, animation: false, data: new Float64Array(numbers),
          lineStyle: { color: PALETTE[k], width: 1, opacity },
        });
      }
      // `lines` series do not widen the axes: their extent is given (the y one below, as for the other modes)
      xExtent = Number.isFinite(xMin) ? { min: niceFloor(xMin, xMax - xMin), max: niceCeil(xMax, xMax - xMin) } : null;
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
    const many = !state.group && runs.length > MANY_RUNS;
    let extent = state.log || state.fullY ? null : robustExtent(drawn);
    if (many && !extent) extent = fullExtent(drawn);
    function prepareGroup(ys) {
      if (!state.log) return ys;
      return ys.map((v) => { if (v > 0) return v; hiddenNonPositive += 1; return null; });
    }
    return {
      hiddenNonPositive,
      yClipped: !!(extent && extent.clipped),
      many,
      option: {
        animation: false,
        // long configuration names are cut to fit and shown whole on hover
        legend: { show: !many, type: 'scroll', top: 0, left: 0, right: 0, tooltip: { show: true }, textStyle: { width: 260, overflow: 'truncate' } },
        grid: { ...baseGrid(), top: 48 },
        tooltip: many ? { show: false } : state.group
          ? { trigger: 'axis', confine: true, formatter: (ps) => groupTooltip(ps, bandsById) }
          : { trigger: 'axis', confine: true, valueFormatter: (v) => fmtNum(v) },
        xAxis: {
          type: 'value', scale: true, name: state.x === 'step' ? 'step (env steps for RL, epochs for classifiers)' : 'wall time (s since the run started)',
          nameLocation: 'middle', nameGap: 30, axisLabel: { formatter: fmtAxis },
          // steps and epochs are whole numbers: no tick at epoch 1.5
          minInterval: state.x === 'step' ? 1 : undefined,
          min: xExtent ? xExtent.min : undefined, max: xExtent ? xExtent.max : undefined,
        },
        yAxis: {
          type: state.log ? 'log' : 'value', scale: true, name: state.key, nameLocation: 'end', axisLabel: { formatter: fmtAxis },
          min: extent ? (state.log ? extent.min : niceFloor(extent.min, extent.max - extent.min)) : undefined,
          max: extent ? (state.log ? extent.max : niceCeil(extent.max, extent.max - extent.min)) : undefined,
        },
        dataZoom: [{ type: 'inside', filterMode: 'none' }],
        series: out,
      },
    };
  }

  // ---------------------------------------------------------------- hovering one of many thin lines
  let thin = false;          // the chart shows many thin lines (buildOption's `many`)
  let thinCurves = [];       // [{run, x, y, color, label}] as drawn
  let hovered = null;
  let highlightShape = null; // a zrender polyline over the chart: moving it repaints its own layer only

  /** The run whose line passes nearest the pointer at its x (within HOVER_PX), or null. */
  function nearestRun(px, py) {
    if (!chart.containPixel({ gridIndex: 0 }, [px, py])) return null;
    const x = chart.convertFromPixel({ gridIndex: 0 }, [px, py])[0];
    let best = null, bestDistance = HOVER_PX;
    for (const c of thinCurves) {
      const y = interpolate(c.x, c.y, x);
      if (!Number.isFinite(y)) continue;
      const d = Math.abs(chart.convertToPixel({ gridIndex: 0 }, [x, y])[1] - py);
      if (d < bestDistance) { bestDistance = d; best = { curve: c, x, y }; }
    }
    return best;
  }

  function highlight(hit) {
    hovered = hit;
    chartEl.dataset.hoveredRun = hit ? hit.curve.run.id : '';
    const zr = chart && chart.getZr();
    if (highlightShape && zr) { zr.remove(highlightShape); highlightShape = null; }
    if (!hit) { hoverLine.textContent = thin ? 'Hover a line to see its run.' : ''; chartEl.style.cursor = ''; return; }
    const c = hit.curve;
    const points = [];
    for (let j = 0; j < c.x.length; j++) if (c.y[j] !== null && Number.isFinite(c.y[j])) points.push(chart.convertToPixel({ gridIndex: 0 }, [c.x[j], c.y[j]]));
    const rect = chart.getModel().getComponent('grid', 0).coordinateSystem.getRect();
    highlightShape = new echarts.graphic.Polyline({
      shape: { points }, style: { stroke: c.color, lineWidth: 2.5, fill: null }, silent: true, zlevel: 1,
      clipPath: new echarts.graphic.Rect({ shape: { x: rect.x, y: rect.y, width: rect.width, height: rect.height } }),
    });
    zr.add(highlightShape);
    chartEl.style.cursor = 'pointer';
    hoverLine.textContent = `${c.label}${Number.isFinite(hit.x) ? ` · at ${fmtNum(hit.x)}: ${fmtNum(hit.y)}` : ''} (click to open the run)`;
  }

  function listenForHover() {
    const zr = chart.getZr();
    let pending = null;
    zr.on('mousemove', (e) => {
      if (!thin) return;
      // at most one search per frame, however fast the pointer moves
      if (pending === null) requestAnimationFrame(() => { const [px, py] = pending; pending = null; highlight(nearestRun(px, py)); });
      pending = [e.offsetX, e.offsetY];
    });
    zr.on('globalout', () => { if (thin) highlight(null); });
    zr.on('click', () => { if (thin && hovered) location.hash = `#/runs/${hovered.curve.run.id}`; });
    chart.on('datazoom', () => highlight(null));   // the line's pixels moved
    window.addEventListener('resize', () => highlight(null));
    // a run hovered in the list is picked out on the chart
    runList.addEventListener('mouseover', (e) => {
      const item = e.target.closest('.run-item');
      if (!thin || !item) return;
      const c = thinCurves.find((t) => String(t.run.id) === item.dataset.runId);
      if (c && c !== hovered?.curve) highlight({ curve: c, x: NaN, y: NaN });
    });
    runList.addEventListener('mouseleave', () => { if (thin) highlight(null); });
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
    try { sweepRuns = await api(`/sweeps/${sweepId}/runs?fields=${RUN_FIELDS}`); } catch { return; }
    if (ctx.alive) renderRunList();
  }, 1000);
  ctx.live((type, data) => {
    if (type === 'metrics' && selected.has(Number(data.runId))) {
      const keys = new Set((data.points || []).map((p) => p.key));
      if (!keysByRun.get(Number(data.runId))?.length || [...keys].some((k) => !(keysByRun.get(Number(data.runId)) || []).includes(k))) {
        keysByRun.delete(Number(data.runId));
      }
      if (keys.has(state.key) || !state.key) {
        for (const k of [...cache.keys()]) if (k.startsWith(`${data.runId}|${state.key}|`)) cache.delete(k);
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

/**
 * The phases of a draw as User Timing marks (curves:draw, keys, part-parsed per request, fetched, built, set), so
 * DevTools' performance panel and the dashboard-curves benchmark show where a slow draw spent its time. Each draw
 * clears the previous draw's marks: a page left open on a live sweep does not pile them up.
 */
const MARKS = ['draw', 'keys', 'part-parsed', 'fetched', 'built', 'set'];
function mark(name) { performance.mark(`curves:${name}`); }
function clearMarks() { for (const name of MARKS) performance.clearMarks(`curves:${name}`); }

/** Rounds an axis bound outwards to a step of about a tenth of the span, so ticks land on round numbers. */
function niceStep(span) {
  const raw = (span || 1) / 10;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
}
function niceFloor(v, span) { const s = niceStep(span); return Math.floor(v / s) * s; }
function niceCeil(v, span) { const s = niceStep(span); return Math.ceil(v / s) * s; }

/** The full extent of the values drawn, padded a little (the axis of `lines` series needs one given). */
function fullExtent(values) {
  let min = Infinity, max = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { if (v < min) min = v; if (v > max) max = v; }
  if (!Number.isFinite(min)) return null;
  const pad = (max - min) * 0.05 || Math.abs(max) * 0.05 || 1;
  return { min: min > 0 && min - pad <= 0 ? min / 2 : min - pad, max: max + pad, clipped: false };
}

/** `list` cut into consecutive slices of at most `size`. */
function slices(list, size) {
  const out = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function clamp(v, lo, hi) {
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo;
}
