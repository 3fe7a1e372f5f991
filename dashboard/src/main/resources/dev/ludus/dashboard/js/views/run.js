// #/runs/12?cm=normalized — one run: status, params, summary, provenance, every metric as a curve
// (train/val pairs share a chart), and for classifiers the confusion matrix with precision/recall.
import { api, q } from '../api.js';
import { throttle } from '../live.js';
import { h, stateBox, statusBadge, fmtNum, fmtAxis, fmtPct, fmtTime, fmtDuration, taskSummary } from '../ui.js';
import { createChart, colorAt, baseGrid } from '../charts.js';
import { rowNormalize, perClass, accuracy } from '../confusion.js';
import { marksBar } from '../marks.js';
import { artifactsPanel, rerunControl } from './run-artifacts.js';

/** Buckets per metric on a run's page: one run's small charts, about a point per pixel of their width. */
const RUN_CHART_BUCKETS = 500;

export async function runView(main, ctx, runId) {
  const head = h('div', { id: 'run-head' }, stateBox('loading', `Loading run ${runId}…`));
  const chartsBox = h('div', { id: 'run-charts', class: 'chart-grid' });
  const confusionBox = h('section', { class: 'panel', id: 'confusion', hidden: true });
  main.append(head);

  let run, sweep = null;
  try {
    run = await api(`/runs/${runId}`);
  } catch (e) {
    // nothing else of the page is drawn: no empty "Metrics" heading, no artifacts panel's own 404 under a missing run
    if (ctx.alive) main.replaceChildren(stateBox('error', `Could not load run ${runId}: ${e.describe()}`, ' ', h('a', { href: '#/' }, 'Go to the sweeps list.')));
    return;
  }
  if (!ctx.alive) return;
  const artifacts = artifactsPanel(ctx, runId);
  main.append(artifacts.el, confusionBox, h('h2', {}, 'Metrics'), chartsBox);
  try { sweep = await api(`/sweeps/${run.sweepId}`); } catch { /* the run page works without its sweep */ }
  if (!ctx.alive) return;

  function renderHead() {
    // a re-run control that has answered (a refusal, the new run's link) or is waiting for the API outlives a live
    // refresh of the head: the control itself moves over, so a pending answer still lands where it is seen
    const answered = [...head.querySelectorAll('.rerun')].find((c) => c.querySelector('.rerun-message').textContent !== '');
    // sorted by name, so train/*, val/* and test/* read together
    const kv = (obj) => h('table', { class: 'kv' }, h('tbody', {}, Object.entries(obj || {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) =>
      h('tr', {}, h('th', {}, k), h('td', { class: 'num' }, typeof v === 'object' && v !== null ? JSON.stringify(v) : fmtNum(v))))));
    head.replaceChildren(...[
      h('div', { class: 'page-head' },
        h('h1', {}, run.name || `run ${run.id}`, ' ', statusBadge(run.status), run.archived ? h('span', { class: 'badge' }, 'archived') : null),
        h('a', { href: `#/sweeps/${run.sweepId}` }, `← ${sweep ? sweep.name : `sweep ${run.sweepId}`}`)),
      h('div', { class: 'meta' },
        h('span', {}, `#${run.id}`), h('span', {}, `seed ${run.seed ?? '–'}`),
        sweep ? h('span', {}, taskSummary(sweep.task)) : null,
        h('span', {}, `started ${fmtTime(run.startedAt)}`), h('span', {}, `ran ${fmtDuration(run.startedAt, run.finishedAt)}`),
        rerunControl(run)),
      marksBar('run', run, {
        onChange: (stored) => { run = stored; renderHead(); },
        onDeleted: () => { location.hash = `#/sweeps/${run.sweepId}`; },
        extra: run.status === 'queued' || run.status === 'running' ? [h('button', {
          type: 'button', id: 'cancel-run',
          onclick: async (e) => {
            e.target.disabled = true;
            try {
              const r = await api(`/runs/${runId}/cancel`, { method: 'POST' });
              e.target.textContent = r.stopping ? 'Stopping…' : 'Cancelled';
              refreshRun();
            } catch (err) {
              e.target.disabled = false;
              head.querySelector('.marks-error').hidden = false;
              head.querySelector('.marks-error').textContent = `Not cancelled: ${err.describe()}`;
            }
          },
        }, 'Cancel run')] : [],
      }),
      run.error && run.status !== 'cancelled' ? stateBox('error', `This run ${run.status === 'diverged' ? 'diverged' : 'failed'}: ${run.error}`) : null,
      h('div', { class: 'two' },
        h('section', { class: 'panel' }, h('h2', {}, 'Hyperparameters'),
          Object.keys(run.params || {}).length ? kv(run.params) : h('div', { class: 'muted' }, 'none')),
        h('section', { class: 'panel' }, h('h2', {}, 'Final metrics'),
          Object.keys(run.summary || {}).length ? kv(run.summary) : h('div', { class: 'muted' }, run.status === 'running' || run.status === 'queued' ? 'Not finished yet.' : 'none'))),
      h('details', { class: 'panel' }, h('summary', {}, 'Provenance (everything needed to re-run)'),
        h('pre', { class: 'code' }, JSON.stringify(run.provenance || {}, null, 2)))].filter(Boolean));
    if (answered) head.querySelector('.rerun').replaceWith(answered);
  }
  renderHead();

  // Curves: keys grouped by their last segment, so train/loss and val/loss share a chart.
  const charts = new Map();   // group name -> {chart, keys}
  let keys = [];
  async function loadCharts() {
    try {
      keys = await api(`/runs/${runId}/metrics`);
    } catch (e) {
      if (ctx.alive) chartsBox.replaceChildren(stateBox('error', `Could not load the metric keys: ${e.describe()}`));
      return;
    }
    if (!ctx.alive) return;
    if (keys.length === 0) {
      chartsBox.replaceChildren(stateBox('empty', run.status === 'queued' ? 'Queued: metrics appear once the run starts.'
        : 'This run has not logged any metric yet.'));
      return;
    }
    const groups = new Map();
    for (const k of keys) {
      const g = k.includes('/') ? k.slice(k.lastIndexOf('/') + 1) : k;
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(k);
    }
    if (chartsBox.querySelector('.state')) chartsBox.replaceChildren();
    await Promise.all([...groups.entries()].map(async ([g, groupKeys]) => {
      let entry = charts.get(g);
      if (!entry) {
        const el = h('div', { class: 'chart small', id: `chart-${g.replace(/[^a-zA-Z0-9_-]/g, '_')}`, dataset: { keys: groupKeys.join(',') } });
        chartsBox.append(h('section', { class: 'panel' }, h('h3', {}, groupKeys.join(' · ')), el));
        entry = { chart: createChart(ctx, el), el };
        charts.set(g, entry);
      }
      entry.el.dataset.keys = groupKeys.join(',');
      const series = await Promise.all(groupKeys.map((k) => api(`/runs/${runId}/series?key=${q(k)}&buckets=${RUN_CHART_BUCKETS}`).catch(() => null)));
      if (!ctx.alive) return;
      entry.chart.setOption({
        animation: false,
        grid: { ...baseGrid(), top: 30, bottom: 40 },
        legend: { top: 0 },
        tooltip: { trigger: 'axis', valueFormatter: (v) => fmtNum(v) },
        xAxis: { type: 'value', scale: true, name: sweep && sweep.task && sweep.task.type === 'classification' ? 'epoch' : 'step', nameLocation: 'middle', nameGap: 26,
          minInterval: 1, axisLabel: { formatter: fmtAxis } },   // steps and epochs are whole: no tick at 1.5
        yAxis: { type: 'value', scale: true, axisLabel: { formatter: fmtAxis } },
        series: groupKeys.map((k, i) => {
          const s = series[i] || { step: [], mean: [] };
          const ys = s.mean || s.value || [];
          return { id: k, name: k, type: 'line', showSymbol: ys.length <= 60, itemStyle: { color: colorAt(i) }, lineStyle: { color: colorAt(i) },
            data: (s.step || []).map((x, j) => [x, ys[j]]) };
        }),
      }, true);
    }));
  }

  // The confusion matrix exists for classifiers; asking other runs would only produce 404s.
  const isClassifier = () => (sweep && sweep.task && sweep.task.type === 'classification')
    || keys.some((k) => /accuracy/.test(k));
  let confusion = null;
  async function loadConfusion() {
    if (!isClassifier()) return;
    try {
      confusion = await api(`/runs/${runId}/confusion`);
    } catch (e) {
      if (!ctx.alive) return;
      confusionBox.hidden = false;
      confusionBox.replaceChildren(h('h2', {}, 'Confusion matrix'), e.status === 404
        ? stateBox('empty', run.status === 'finished' ? 'This run stored no confusion matrix.' : 'The confusion matrix is stored when the run finishes evaluating on the test set.')
        : stateBox('error', `Could not load the confusion matrix: ${e.describe()}`));
      return;
    }
    if (ctx.alive) renderConfusion();
  }

  let cmChart = null;
  function renderConfusion() {
    const { labels, counts } = confusion;
    const mode = ctx.query.get('cm') === 'normalized' ? 'normalized' : 'counts';
    const toggle = h('div', { class: 'toggle', role: 'group' },
      ...['counts', 'normalized'].map((m) => h('button', {
        type: 'button', id: `cm-${m}`, class: m === mode ? 'active' : '',
        onclick: () => { ctx.setQuery({ cm: m === 'counts' ? null : m }); renderConfusion(); },
      }, m === 'counts' ? 'counts' : 'row-normalised')));
    const el = h('div', { class: 'chart square', id: 'confusion-chart' });
    const classes = perClass(labels, counts);
    confusionBox.hidden = false;
    confusionBox.replaceChildren(
      h('div', { class: 'panel-head' }, h('h2', {}, 'Confusion matrix'), toggle),
      h('div', { class: 'muted' }, `rows: actual class · columns: predicted class · accuracy ${fmtPct(accuracy(counts))}`),
      h('div', { class: 'two' }, el,
        h('table', { class: 'grid', id: 'per-class' },
          h('thead', {}, h('tr', {}, ['class', 'precision', 'recall', 'F1', 'support'].map((t) => h('th', {}, t)))),
          h('tbody', {}, classes.map((c) => h('tr', {},
            h('td', {}, c.label), h('td', { class: 'num' }, fmtPct(c.precision)), h('td', { class: 'num' }, fmtPct(c.recall)),
            h('td', { class: 'num' }, fmtPct(c.f1)), h('td', { class: 'num' }, c.support.toLocaleString('en-US'))))))));
    if (cmChart) cmChart.dispose();
    cmChart = createChart(ctx, el);
    const values = mode === 'counts' ? counts : rowNormalize(counts);
    const k = labels.length;
    const data = [];
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) data.push([j, k - 1 - i, values[i][j]]);
    const max = Math.max(...data.map((d) => d[2]), mode === 'counts' ? 1 : 0);
    cmChart.setOption({
      animation: false,
      tooltip: {
        formatter: (p) => `actual ${labels[k - 1 - p.value[1]]}, predicted ${labels[p.value[0]]}: `
          + (mode === 'counts' ? p.value[2].toLocaleString('en-US') : fmtPct(p.value[2])),
      },
      grid: { left: 110, right: 20, top: 20, bottom: 110 },
      xAxis: { type: 'category', data: labels, name: 'predicted', nameLocation: 'middle', nameGap: 90, axisLabel: { rotate: 45, interval: 0 }, splitArea: { show: true } },
      yAxis: { type: 'category', data: [...labels].reverse(), name: 'actual', nameLocation: 'middle', nameGap: 95, axisLabel: { interval: 0 }, splitArea: { show: true } },
      visualMap: { min: 0, max, calculable: false, show: false, inRange: { color: ['#f8f9fa', '#74a0f0', '#0b2b6b'] } },
      series: [{
        id: 'confusion', type: 'heatmap', data,
        label: { show: k <= 12, fontSize: 12, formatter: (p) => (mode === 'counts' ? String(p.value[2]) : (p.value[2] * 100).toFixed(0)) },
      }],
    }, true);
  }

  const refreshRun = throttle(async () => {
    const shown = JSON.stringify(run);
    try { run = await api(`/runs/${runId}`); } catch { return; }
    if (!ctx.alive || JSON.stringify(run) === shown) return;   // nothing new: keep the page (and what is being clicked)
    // a live refresh must not throw away notes or a name being typed
    if (!head.querySelector('.notes-editor, .rename-form:not([hidden]), .confirm-delete:not([hidden])')) renderHead();
    if (!confusion && run.status === 'finished') loadConfusion();
    if (run.status !== 'running' && run.status !== 'queued') artifacts.reload(); // models are saved as the run ends
  }, 1000);
  const refreshCharts = throttle(loadCharts, 1500);
  ctx.live((type, data) => {
    if (type === 'deleted' && (data.runIds || []).map(String).includes(String(runId))) {
      main.replaceChildren(stateBox('info', `Run ${runId} was deleted.`, ' ', h('a', { href: `#/sweeps/${run.sweepId}` }, 'Go to its sweep.')));
      return;
    }
    if (String(data.runId) !== String(runId)) return;
    if (type === 'run') refreshRun();
    if (type === 'metrics') refreshCharts();
  });
  // what changed between the first fetch and the subscription (a run that ended meanwhile sent its event unseen),
  // and the models of a run that had already ended when the panel first asked
  refreshRun();
  if (run.status !== 'running' && run.status !== 'queued') artifacts.reload();

  await loadCharts();
  await loadConfusion();
}
