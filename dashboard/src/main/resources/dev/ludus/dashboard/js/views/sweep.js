// #/sweeps/7?filter=...&sort=summary.eval/return_mean&order=desc&metric=... — one sweep: its runs
// (sortable, filterable with the API's filter language) and hyperparameters against a final metric.
import { api, q, withToken } from '../api.js';
import { throttle } from '../live.js';
import { h, stateBox, statusBadge, taskSummary, progress, fmtNum, fmtDuration, preferredKey } from '../ui.js';
import { createChart } from '../charts.js';
import { varyingParams } from '../curves-math.js';

export async function sweepView(main, ctx, sweepId) {
  const head = h('div', { id: 'sweep-head' }, stateBox('loading', `Loading sweep ${sweepId}…`));
  const filterInput = h('input', {
    type: 'text', id: 'run-filter', class: 'code', value: ctx.query.get('filter') || '',
    placeholder: "e.g. params.lr < 0.01 and summary.eval/return_mean >= 400 and status = 'finished'",
    'aria-label': 'Filter runs',
  });
  const filterError = h('div', { class: 'field-error', id: 'filter-error', role: 'alert', hidden: true });
  const tableBox = h('div', { id: 'runs-body' }, stateBox('loading', 'Loading runs…'));
  const metricSelect = h('select', { id: 'pc-metric', 'aria-label': 'Final metric' });
  const pcNote = h('div', { class: 'muted', id: 'pc-note' });
  const pcEl = h('div', { class: 'chart', id: 'parallel-chart' });
  const selection = new Set((ctx.query.get('runs') || '').split(',').filter(Boolean).map(Number));
  const plotButton = h('a', { class: 'button', id: 'plot-selected' }, 'Curves');
  const compareLink = h('a', { class: 'button', id: 'compare-link', href: `#/sweeps/${sweepId}/compare` }, 'Compare two configurations');

  main.append(head,
    h('form', { class: 'filter-bar', onsubmit: (e) => { e.preventDefault(); applyFilter(); } },
      filterInput, h('button', { type: 'submit' }, 'Filter'),
      h('button', { type: 'button', onclick: () => { filterInput.value = ''; applyFilter(); } }, 'Clear')),
    filterError,
    h('div', { class: 'actions' }, plotButton, compareLink,
      h('a', { class: 'button', href: withToken(`/api/sweeps/${sweepId}/runs.csv`), download: `sweep-${sweepId}.csv` }, 'Download CSV')),
    tableBox,
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', {}, 'Hyperparameters vs final metric'), h('label', {}, 'metric ', metricSelect)),
      pcNote, pcEl));

  let chart = null;
  let runs = [];
  let sweep = null;

  function updatePlotLink() {
    const ids = [...selection];
    plotButton.textContent = ids.length ? `Curves of ${ids.length} selected run${ids.length > 1 ? 's' : ''}` : 'Curves of all runs';
    plotButton.href = `#/sweeps/${sweepId}/curves${ids.length ? `?runs=${ids.join(',')}` : ''}`;
    ctx.setQuery({ runs: ids.join(',') });
  }
  updatePlotLink();

  function applyFilter() {
    ctx.setQuery({ filter: filterInput.value.trim() });
    loadRuns();
  }

  async function loadSweep() {
    try {
      sweep = await api(`/sweeps/${sweepId}`);
    } catch (e) {
      if (ctx.alive) head.replaceChildren(stateBox('error', `Could not load sweep ${sweepId}: ${e.describe()}`));
      return;
    }
    if (!ctx.alive) return;
    const active = sweep.status === 'queued' || sweep.status === 'running';
    head.replaceChildren(h('div', { class: 'page-head' },
      h('h1', {}, sweep.name || `sweep ${sweep.id}`, ' ', statusBadge(sweep.status)),
      active ? h('button', { type: 'button', id: 'cancel-sweep', onclick: cancel }, 'Cancel sweep') : null),
    h('div', { class: 'meta' }, h('span', {}, `#${sweep.id}`), h('span', {}, taskSummary(sweep.task)),
      sweep.definition && sweep.definition.search ? h('span', {}, `${sweep.definition.search.method || 'grid'} search`) : null),
    progress(sweep));
  }

  async function cancel() {
    try {
      await api(`/sweeps/${sweepId}/cancel`, { method: 'POST' });
    } catch (e) {
      head.append(stateBox('error', `Cancelling failed: ${e.describe()}`));
    }
    loadSweep();
  }

  async function loadRuns() {
    const params = new URLSearchParams();
    const filter = ctx.query.get('filter');
    if (filter) params.set('filter', filter);
    if (ctx.query.get('sort')) params.set('sort', ctx.query.get('sort'));
    if (ctx.query.get('order')) params.set('order', ctx.query.get('order'));
    try {
      runs = await api(`/sweeps/${sweepId}/runs?${params}`);
      filterError.hidden = true;
    } catch (e) {
      if (!ctx.alive) return;
      if (e.field === 'filter' || e.status === 400) {
        filterError.hidden = false;
        filterError.textContent = e.message;
        return;
      }
      tableBox.replaceChildren(stateBox('error', `Could not load the runs: ${e.describe()}`));
      return;
    }
    if (!ctx.alive) return;
    renderTable();
    renderParallel();
  }

  function renderTable() {
    if (runs.length === 0) {
      tableBox.replaceChildren(stateBox('empty', ctx.query.get('filter')
        ? 'No run matches this filter.' : 'This sweep has no runs yet.'));
      return;
    }
    const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params || {})))].sort();
    const summaryKeys = [...new Set(runs.flatMap((r) => Object.keys(r.summary || {})))].sort();
    const sort = ctx.query.get('sort') || 'id';
    const order = ctx.query.get('order') || 'asc';
    const th = (label, key, cls) => h('th', {
      class: `sortable ${cls || ''} ${sort === key ? `sorted-${order}` : ''}`, dataset: { sort: key }, title: `Sort by ${key}`,
      onclick: () => {
        ctx.setQuery({ sort: key, order: sort === key && order === 'asc' ? 'desc' : 'asc' });
        loadRuns();
      },
    }, label);
    const all = h('input', {
      type: 'checkbox', 'aria-label': 'Select all runs', checked: runs.every((r) => selection.has(r.id)),
      onchange: (e) => { runs.forEach((r) => (e.target.checked ? selection.add(r.id) : selection.delete(r.id))); renderTable(); updatePlotLink(); },
    });
    tableBox.replaceChildren(h('div', { class: 'table-scroll' }, h('table', { class: 'grid', id: 'runs-table' },
      h('thead', {}, h('tr', {},
        h('th', {}, all), th('Run', 'name'), th('Status', 'status'), th('Seed', 'seed', 'num'),
        paramKeys.map((k) => th(k, `params.${k}`, 'num param')),
        summaryKeys.map((k) => th(k, `summary.${k}`, 'num metric')),
        h('th', {}, 'Duration'))),
      h('tbody', {}, runs.map((r) => h('tr', { dataset: { runId: r.id } },
        h('td', {}, h('input', {
          type: 'checkbox', 'aria-label': `Select run ${r.id}`, checked: selection.has(r.id),
          onchange: (e) => { if (e.target.checked) selection.add(r.id); else selection.delete(r.id); updatePlotLink(); },
        })),
        h('td', {}, h('a', { href: `#/runs/${r.id}` }, r.name || `run ${r.id}`)),
        h('td', { class: 'status', title: r.error || '' }, statusBadge(r.status)),
        h('td', { class: 'num' }, r.seed ?? '–'),
        paramKeys.map((k) => h('td', { class: 'num param' }, fmtNum((r.params || {})[k]))),
        summaryKeys.map((k) => h('td', { class: 'num metric' }, fmtNum((r.summary || {})[k]))),
        h('td', { class: 'num' }, fmtDuration(r.startedAt, r.finishedAt))))))),
    h('div', { class: 'muted' }, `${runs.length} run${runs.length === 1 ? '' : 's'}`));
  }

  function renderParallel() {
    const summaryKeys = [...new Set(runs.flatMap((r) => Object.keys(r.summary || {})))].sort();
    const wanted = ctx.query.get('metric');
    const metric = summaryKeys.includes(wanted) ? wanted : preferredKey(summaryKeys);
    metricSelect.replaceChildren(...summaryKeys.map((k) => h('option', { value: k, selected: k === metric }, k)));
    if (!metric) {
      if (chart) { chart.dispose(); chart = null; }
      pcEl.hidden = true;
      pcNote.textContent = 'No run has a final metric yet: the plot appears once runs finish.';
      return;
    }
    const withMetric = runs.filter((r) => Number.isFinite((r.summary || {})[metric]));
    let keys = varyingParams(runs);
    if (keys.length === 0) keys = [...new Set(runs.flatMap((r) => Object.keys(r.params || {})))].sort();
    pcNote.textContent = `${withMetric.length} of ${runs.length} runs have ${metric}; each line is one run, coloured by ${metric}.`;
    if (withMetric.length === 0) { pcEl.hidden = true; return; }
    pcEl.hidden = false;
    const axes = keys.map((k, i) => axisFor(k, i, withMetric.map((r) => (r.params || {})[k])));
    axes.push({ dim: keys.length, name: metric, type: 'value', scale: true, nameTextStyle: { fontWeight: 'bold' } });
    const data = withMetric.map((r) => ({
      name: r.name,
      value: [...keys.map((k, i) => axisValue(axes[i], (r.params || {})[k])), r.summary[metric]],
    }));
    const values = withMetric.map((r) => r.summary[metric]);
    let lo = Math.min(...values), hi = Math.max(...values);
    if (lo === hi) { lo -= 0.5; hi += 0.5; }
    chart = chart || createChart(ctx, pcEl);
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'item', formatter: (p) => `${p.name}<br>${axes.map((a, i) => `${a.name}: ${fmtNum(p.value[i])}`).join('<br>')}` },
      parallel: { left: 60, right: 170, top: 50, bottom: 30 },
      parallelAxis: axes,
      visualMap: {
        type: 'continuous', dimension: keys.length, min: lo, max: hi,
        calculable: true, right: 0, top: 'middle', itemHeight: 140, text: [metric, ''],
        inRange: { color: ['#d0ddf7', '#2f6fde', '#0b2b6b'] },
      },
      series: [{ type: 'parallel', lineStyle: { width: 2, opacity: 0.75 }, data }],
    }, true);
  }

  metricSelect.addEventListener('change', () => { ctx.setQuery({ metric: metricSelect.value }); renderParallel(); });

  const refresh = throttle(() => Promise.all([loadSweep(), loadRuns()]), 800);
  ctx.live((type, data) => {
    if ((type === 'run' || type === 'sweep') && String(data.sweepId) === String(sweepId)) refresh();
  });
  await Promise.all([loadSweep(), loadRuns()]);
}

/** A log axis for positive params spanning two decades or more (learning rates), categories for strings. */
function axisFor(name, dim, values) {
  const present = values.filter((v) => v !== undefined && v !== null);
  if (present.some((v) => typeof v !== 'number')) {
    const cats = [...new Set(present.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))))].sort();
    return { dim, name, type: 'category', data: cats };
  }
  const min = Math.min(...present), max = Math.max(...present);
  if (min > 0 && max / min >= 100) return { dim, name, type: 'log' };
  return { dim, name, type: 'value', scale: true };
}

function axisValue(axis, v) {
  if (axis.type === 'category') return v === undefined || v === null ? null : (typeof v === 'string' ? v : JSON.stringify(v));
  return v === undefined ? null : v;
}
