// #/sweeps/7?filter=...&sort=summary.eval/return_mean&order=desc&offset=100&metric=... — one sweep: its runs
// (sortable, filterable with the API's filter language, one page at a time: the server filters, sorts and
// pages, so a 10,000-run sweep sends 100 rows) and hyperparameters against a final metric.
import { api, apiPage, q, withToken } from '../api.js';
import { throttle } from '../live.js';
import { h, stateBox, statusBadge, taskSummary, progress, fmtNum, fmtAxis, fmtDuration, preferredKey, lowerIsBetter, unknownFilterNames } from '../ui.js';
import { createChart } from '../charts.js';
import { varyingParams, configLabel, configKey, configId } from '../curves-math.js';
import { leaderboard } from '../stats.js';
import { marksBar, starButton, tagChips, archivedToggle, showArchived } from '../marks.js';
import { searchPanel } from './search.js';

export async function sweepView(main, ctx, sweepId) {
  const head = h('div', { id: 'sweep-head' }, stateBox('loading', `Loading sweep ${sweepId}…`));
  const filterInput = h('input', {
    type: 'text', id: 'run-filter', class: 'code', value: ctx.query.get('filter') || '',
    placeholder: "e.g. params.lr < 0.01 and status = 'finished'",   // made from this sweep's names once its runs load
    'aria-label': 'Filter runs',
  });
  const filterError = h('div', { class: 'field-error', id: 'filter-error', role: 'alert', hidden: true });
  const tableBox = h('div', { id: 'runs-body' }, stateBox('loading', 'Loading runs…'));
  const metricSelect = h('select', { id: 'pc-metric', 'aria-label': 'Final metric' });
  const pcNote = h('div', { class: 'muted', id: 'pc-note' });
  const pcEl = h('div', { class: 'chart', id: 'parallel-chart' });
  const boardBox = h('div', { id: 'leaderboard-body' });
  const selection = new Set((ctx.query.get('runs') || '').split(',').filter(Boolean).map(Number));
  const plotButton = h('a', { class: 'button', id: 'plot-selected' }, 'Curves');
  const compareLink = h('a', { class: 'button', id: 'compare-link', href: `#/sweeps/${sweepId}/compare` }, 'Compare two configurations');

  main.append(head,
    h('form', { class: 'filter-bar', onsubmit: (e) => { e.preventDefault(); applyFilter(); } },
      filterInput, h('button', { type: 'submit' }, 'Filter'),
      h('button', { type: 'button', onclick: () => { filterInput.value = ''; applyFilter(); } }, 'Clear')),
    filterError,
    h('div', { class: 'actions' }, plotButton, compareLink, archivedToggle(ctx, () => loadRuns(), 'Show archived runs'),
      h('a', { class: 'button', href: withToken(`/api/sweeps/${sweepId}/runs.csv`), download: `sweep-${sweepId}.csv` }, 'Download CSV')),
    tableBox,
    h('section', { class: 'panel', id: 'leaderboard' },
      h('div', { class: 'panel-head' }, h('h2', {}, 'Leaderboard'), h('label', {}, 'metric ', metricSelect)),
      boardBox),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', {}, 'Hyperparameters vs final metric')),
      pcNote, pcEl));
  const search = searchPanel(ctx, sweepId);   // TPE history, racing rounds, pruned runs (hidden when none)
  main.append(search.element);

  let chart = null;
  let runs = [];       // the table's page
  let total = 0;       // runs matching the filter, all pages
  let allRuns = null;  // every matching run's id, name, status, params and summary, for the leaderboard and the plot
  let sweep = null;

  function updatePlotLink() {
    const ids = [...selection];
    plotButton.textContent = ids.length ? `Curves of ${ids.length} selected run${ids.length > 1 ? 's' : ''}` : 'Curves of all runs';
    plotButton.href = `#/sweeps/${sweepId}/curves${ids.length ? `?runs=${ids.join(',')}` : ''}`;
    ctx.setQuery({ runs: ids.join(',') });
  }
  updatePlotLink();

  function applyFilter() {
    ctx.setQuery({ filter: filterInput.value.trim(), offset: '' });
    loadRuns();
  }

  async function loadSweep() {
    const shown = JSON.stringify(sweep);
    try {
      sweep = await api(`/sweeps/${sweepId}`);
    } catch (e) {
      if (!ctx.alive) return;
      // a missing sweep has no runs, filter or plots to draw: the page is the error, not half of it
      if (e.status === 404) main.replaceChildren(stateBox('error', `Could not load sweep ${sweepId}: ${e.describe()}`, ' ', h('a', { href: '#/' }, 'Go to the sweeps list.')));
      else head.replaceChildren(stateBox('error', `Could not load sweep ${sweepId}: ${e.describe()}`));
      return;
    }
    if (!ctx.alive) return;
    const example = sweep.task && sweep.task.type === 'classification' ? "summary.test/accuracy >= 0.85"
      : sweep.task && sweep.task.type === 'rl' ? 'summary.eval/return_mean >= 400' : null;
    if (example) filterInput.placeholder = `e.g. ${example} and status = 'finished'`;
    // a live refresh must not throw away notes or a name being typed, nor redraw what did not change
    if (JSON.stringify(sweep) === shown) return;
    if (!head.querySelector('.notes-editor, .rename-form:not([hidden]), .confirm-delete:not([hidden])')) renderHead();
  }

  function renderHead() {
    const active = sweep.status === 'queued' || sweep.status === 'running';
    head.replaceChildren(h('div', { class: 'page-head' },
      h('h1', {}, sweep.name || `sweep ${sweep.id}`, ' ', statusBadge(sweep.status), sweep.archived ? h('span', { class: 'badge' }, 'archived') : null),
      active ? h('button', { type: 'button', id: 'cancel-sweep', onclick: cancel }, 'Cancel sweep') : null),
    h('div', { class: 'meta' }, h('span', {}, `#${sweep.id}`), h('span', {}, taskSummary(sweep.task)),
      sweep.definition && sweep.definition.search ? h('span', {}, `${sweep.definition.search.method || 'grid'} search`) : null),
    progress(sweep),
    marksBar('sweep', sweep, {
      onChange: (stored) => { sweep = { ...sweep, ...stored }; renderHead(); },
      onDeleted: () => { location.hash = '#/'; },
      extra: sweep.kind === 'sweep' ? [addSeedsForm()] : [],
    }));
  }

  /** "Add seeds": every configuration runs again with each new seed; the sweep goes back to running. */
  function addSeedsForm() {
    const input = h('input', { type: 'text', id: 'add-seeds-input', placeholder: 'e.g. 4, 5', 'aria-label': 'New seeds' });
    const form = h('form', { class: 'seeds-form', id: 'add-seeds' }, input, h('button', { type: 'submit' }, 'Add seeds'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const parts = input.value.split(/[\s,]+/).filter(Boolean);
      const seeds = parts.map(Number);
      const bad = parts.find((p, i) => !Number.isInteger(seeds[i]));
      const error = head.querySelector('.marks-error');
      if (bad !== undefined || seeds.length === 0) {
        error.hidden = false;
        error.textContent = seeds.length === 0 ? 'Give one or more integer seeds, e.g. 4, 5.' : `“${bad}” is not an integer seed.`;
        return;
      }
      try {
        await api(`/sweeps/${sweepId}/seeds`, { method: 'POST', body: { seeds } });
        await Promise.all([loadSweep(), loadRuns()]);
      } catch (err) {
        const shown = head.querySelector('.marks-error');
        shown.hidden = false;
        shown.textContent = `Seeds not added: ${err.describe()}`;
      }
    });
    return form;
  }

  async function cancel() {
    try {
      await api(`/sweeps/${sweepId}/cancel`, { method: 'POST' });
    } catch (e) {
      head.append(stateBox('error', `Cancelling failed: ${e.describe()}`));
    }
    loadSweep();
  }

  function pageOffset() {
    const offset = Number(ctx.query.get('offset') || 0);
    return Number.isInteger(offset) && offset > 0 ? offset : 0;
  }

  function selectionParams() {
    const params = new URLSearchParams();
    const filter = ctx.query.get('filter');
    if (filter) params.set('filter', filter);
    // archived runs stay out unless asked for: left out by the server, so paging and totals stay right
    if (!showArchived(ctx)) params.set('archived', 'exclude');
    if (ctx.query.get('sort')) params.set('sort', ctx.query.get('sort'));
    if (ctx.query.get('order')) params.set('order', ctx.query.get('order'));
    return params;
  }

  /** The table's page first (the page is usable once it is drawn), then the plots' slim copy of every run. */
  async function loadRuns() {
    if (await loadPage()) loadAllRuns();
  }

  async function loadPage() {
    const filter = ctx.query.get('filter');
    const params = selectionParams();
    params.set('offset', pageOffset());
    params.set('limit', PAGE_SIZE);
    params.set('fields', 'id,name,status,seed,params,summary,error,startedAt,finishedAt');
    try {
      const page = await apiPage(`/sweeps/${sweepId}/runs?${params}`);
      runs = page.rows;
      total = page.total;
      filterError.hidden = true;
    } catch (e) {
      if (!ctx.alive) return;
      if (e.field === 'filter' || e.status === 400) {
        filterError.hidden = false;
        filterError.textContent = e.message;
        // a bad filter in a shared link must not leave "Loading runs…" forever
        if (!tableBox.querySelector('table')) tableBox.replaceChildren(stateBox('error', 'No runs shown: the filter above is not valid. Fix it or press Clear.'));
        return;
      }
      if (e.status === 404) return false;   // the sweep is missing: loadSweep draws the page as that error
      tableBox.replaceChildren(stateBox('error', `Could not load the runs: ${e.describe()}`));
      return false;
    }
    if (!ctx.alive) return false;
    if (filter && total === 0) await explainEmptyFilter(filter);
    if (!ctx.alive) return false;
    renderTable();
    return true;
  }

  async function loadAllRuns() {
    const params = selectionParams();
    params.set('limit', 100000);
    params.set('fields', 'id,name,status,params,summary');
    try {
      allRuns = await api(`/sweeps/${sweepId}/runs?${params}`);
    } catch (e) {
      if (!ctx.alive) return;
      pcNote.textContent = `Could not load the runs for the plot and leaderboard: ${e.describe()}`;
      return;
    }
    if (!ctx.alive) return;
    document.getElementById('runs-count')?.replaceChildren(runsCount());
    renderParallel();
    renderLeaderboard();
  }

  let emptyFilterHint = '';
  /** A filter naming a param or metric no run has matches nothing silently: say which, and what was meant. */
  async function explainEmptyFilter(filter) {
    emptyFilterHint = '';
    let all;
    try { all = await api(`/sweeps/${sweepId}/runs?limit=1000&fields=params,summary`); } catch { return; }
    if (all.length === 0) return;
    emptyFilterHint = unknownFilterNames(filter, all).map((u) => `No run has ${u.name}${u.suggestion ? ` — did you mean ${u.suggestion}?` : '.'}`).join(' ');
  }

  function renderTable() {
    if (runs.length === 0) {
      tableBox.replaceChildren(stateBox('empty', ctx.query.get('filter')
        ? `No run matches this filter.${emptyFilterHint ? ` ${emptyFilterHint}` : ''}` : 'This sweep has no runs yet.'));
      return;
    }
    const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params || {})))].sort();
    const summaryKeys = [...new Set(runs.flatMap((r) => Object.keys(r.summary || {})))].sort();
    const sort = ctx.query.get('sort') || 'id';
    const order = ctx.query.get('order') || 'asc';
    const th = (label, key, cls) => h('th', {
      class: `sortable ${cls || ''} ${sort === key ? `sorted-${order}` : ''}`, dataset: { sort: key }, title: `Sort by ${key}`,
      onclick: () => {
        ctx.setQuery({ sort: key, order: sort === key && order === 'asc' ? 'desc' : 'asc', offset: '' });
        loadRuns();
      },
    }, label);
    const all = h('input', {
      type: 'checkbox', 'aria-label': 'Select the runs on this page', title: 'Select the runs on this page', checked: runs.every((r) => selection.has(r.id)),
      onchange: (e) => { runs.forEach((r) => (e.target.checked ? selection.add(r.id) : selection.delete(r.id))); renderTable(); updatePlotLink(); },
    });
    tableBox.replaceChildren(pager(), h('div', { class: 'table-scroll' }, h('table', { class: 'grid', id: 'runs-table' },
      h('thead', {}, h('tr', {},
        h('th', {}, all), th('Run', 'name'), th('★', 'starred'), h('th', {}, 'Tags'), th('Status', 'status'), th('Seed', 'seed', 'num'),
        paramKeys.map((k) => th(k, `params.${k}`, 'num param')),
        summaryKeys.map((k) => th(k, `summary.${k}`, 'num metric')),
        h('th', {}, 'Duration'))),
      h('tbody', {}, runs.map((r) => h('tr', { dataset: { runId: r.id }, class: r.archived ? 'archived' : null },
        h('td', {}, h('input', {
          type: 'checkbox', 'aria-label': `Select run ${r.id}`, checked: selection.has(r.id),
          onchange: (e) => { if (e.target.checked) selection.add(r.id); else selection.delete(r.id); updatePlotLink(); },
        })),
        h('td', {}, h('a', { href: `#/runs/${r.id}` }, r.name || `run ${r.id}`)),
        h('td', {}, starButton('run', r, (stored) => { Object.assign(r, stored); renderTable(); })),
        h('td', { class: 'tags' }, tagChips(r.tags)),
        h('td', { class: 'status', title: r.error || '' }, statusBadge(r.status)),
        h('td', { class: 'num' }, r.seed ?? '–'),
        paramKeys.map((k) => h('td', { class: 'num param' }, fmtNum((r.params || {})[k]))),
        summaryKeys.map((k) => h('td', { class: 'num metric' }, fmtNum((r.summary || {})[k]))),
        h('td', { class: 'num' }, fmtDuration(r.startedAt, r.finishedAt))))))),
    h('div', { class: 'muted', id: 'runs-count' }, runsCount()));
    // for the benchmark: when the rows were drawn, in ms since the navigation started
    if (!tableBox.dataset.drawnAt) tableBox.dataset.drawnAt = String(performance.now());
  }

  /** "Runs 101–200 of 10,000" with the previous and next pages. */
  function pager() {
    const offset = pageOffset();
    const go = (to) => { ctx.setQuery({ offset: to > 0 ? String(to) : '' }); loadPage(); };
    return h('div', { class: 'pager', id: 'runs-pager' },
      h('button', { type: 'button', id: 'page-prev', disabled: offset === 0, onclick: () => go(Math.max(0, offset - PAGE_SIZE)) }, '‹ Previous'),
      h('span', { id: 'page-range' }, `Runs ${(offset + 1).toLocaleString('en-US')}–${(offset + runs.length).toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`),
      h('button', { type: 'button', id: 'page-next', disabled: offset + runs.length >= total, onclick: () => go(offset + PAGE_SIZE) }, 'Next ›'));
  }

  /** "18 runs" beside "0/16 done" needs its reason: interrupted runs were re-run as new runs. */
  function runsCount() {
    const interrupted = allRuns ? allRuns.filter((r) => r.status === 'interrupted').length : 0;
    const text = `${total.toLocaleString('en-US')} run${total === 1 ? '' : 's'}${ctx.query.get('filter') ? ' match the filter' : ''}`;
    return interrupted ? `${text}, of which ${interrupted} interrupted by a restart and re-run as new runs` : text;
  }

  /** Configurations ranked by their mean final metric over seeds, with n and a 95% t interval. */
  function renderLeaderboard() {
    const metric = metricSelect.value;
    if (!metric) {
      boardBox.replaceChildren(stateBox('empty', 'No run has a final metric yet: the leaderboard appears once runs finish.'));
      return;
    }
    const higherIsBetter = !lowerIsBetter(metric);
    const finished = (allRuns || []).filter((r) => r.status === 'finished');
    const rows = leaderboard(finished, metric, { higherIsBetter, groupKey: (r) => configKey(r.params) });
    if (rows.length === 0) {
      boardBox.replaceChildren(stateBox('empty', `No finished run reports ${metric} yet.`));
      return;
    }
    const varying = varyingParams(finished);
    const few = rows.some((r) => r.n < 2);
    boardBox.replaceChildren(
      h('div', { class: 'hint' }, `${rows.length} configuration${rows.length === 1 ? '' : 's'} of the ${finished.length} finished run${finished.length === 1 ? '' : 's'} shown, ranked by mean ${metric} over seeds (${higherIsBetter ? 'higher' : 'lower'} is better); 95% CI of the mean from Student's t.`),
      h('div', { class: 'table-scroll' }, h('table', { class: 'grid', id: 'leaderboard-table' },
        h('thead', {}, h('tr', {}, ['#', 'configuration', 'seeds', `mean ${metric}`, '95% CI', 'std', ''].map((t, i) => h('th', { class: i >= 2 && i <= 5 ? 'num' : '' }, t)))),
        h('tbody', {}, rows.map((r) => h('tr', { class: r.rank === 1 ? 'top' : '', dataset: { config: configId(r.params) } },
          h('td', { class: 'rank' }, r.rank),
          h('td', {}, configLabel(r.params, varying)),
          h('td', { class: 'num' }, r.n),
          h('td', { class: 'num' }, fmtNum(r.mean)),
          h('td', { class: 'num' }, r.n > 1 ? `[${fmtNum(r.lo)}, ${fmtNum(r.hi)}]` : '–'),
          h('td', { class: 'num' }, r.n > 1 ? fmtNum(r.std) : '–'),
          h('td', {}, r.rank > 1 ? h('a', { href: `#/sweeps/${sweepId}/compare?metric=${encodeURIComponent(metric)}&a=${configId(rows[0].params)}&b=${configId(r.params)}` }, 'compare with #1') : null)))))),
      few ? h('div', { class: 'hint warn' }, 'Configurations with one seed have no interval; rank them with care.') : '');
  }

  function renderParallel() {
    const runs = allRuns || [];
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
    const allWithMetric = runs.filter((r) => Number.isFinite((r.summary || {})[metric]));
    // thousands of lines are an unreadable smear and slow to draw: past MAX_LINES, an even sample of the
    // ranking (best and worst included) stands for the rest, and the note says so
    const withMetric = sampleByRank(allWithMetric, metric, MAX_LINES);
    let keys = varyingParams(runs);
    if (keys.length === 0) keys = [...new Set(runs.flatMap((r) => Object.keys(r.params || {})))].sort();
    pcNote.textContent = `${allWithMetric.length} of ${runs.length} runs have ${metric} (the leaderboard's metric); each line is one run, coloured by ${metric}.`
      + (withMetric.length < allWithMetric.length ? ` Showing ${withMetric.length} of them, sampled evenly along the ranking by ${metric} (best and worst included), so the plot stays readable.` : '');
    pcEl.dataset.lines = String(withMetric.length);
    if (withMetric.length === 0) { pcEl.hidden = true; return; }
    pcEl.hidden = false;
    const axes = keys.map((k, i) => axisFor(k, i, withMetric.map((r) => (r.params || {})[k])));
    axes.push({ dim: keys.length, name: metric, type: 'value', scale: true, nameTextStyle: { fontWeight: 'bold' } });
    for (const a of axes) if (a.type !== 'category') a.axisLabel = { formatter: fmtAxis };
    const data = withMetric.map((r) => ({
      name: r.name,
      value: [...keys.map((k, i) => axisValue(axes[i], (r.params || {})[k])), r.summary[metric]],
    }));
    const values = withMetric.map((r) => r.summary[metric]);
    let lo = values.reduce((a, b) => Math.min(a, b), Infinity), hi = values.reduce((a, b) => Math.max(a, b), -Infinity);
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
        // the handles read 0.807 and 0.836, not "1" and "1" (ECharts rounds to whole numbers by default)
        formatter: (v) => fmtAxis(v),
        inRange: { color: ['#d0ddf7', '#2f6fde', '#0b2b6b'] },
      },
      series: [{ type: 'parallel', lineStyle: { width: 2, opacity: 0.75 }, data }],
    }, true);
  }

  metricSelect.addEventListener('change', () => { ctx.setQuery({ metric: metricSelect.value }); renderParallel(); renderLeaderboard(); });

  // a running 10,000-run sweep changes every second: the page refreshes often, the plots' full copy rarely
  const refresh = throttle(() => Promise.all([loadSweep(), loadPage(), search.load()]), 800);
  const refreshAll = throttle(() => loadAllRuns(), 5000);
  ctx.live((type, data) => {
    if (type === 'deleted' && data.sweepDeleted && String(data.sweepId) === String(sweepId)) {
      main.replaceChildren(stateBox('info', `Sweep ${sweepId} was deleted.`, ' ', h('a', { href: '#/' }, 'Go to the sweeps list.')));
      return;
    }
    if ((type === 'run' || type === 'sweep' || type === 'deleted') && String(data.sweepId) === String(sweepId)) { refresh(); refreshAll(); }
  });
  await Promise.all([loadSweep(), loadRuns(), search.load()]);
}

const PAGE_SIZE = 100;
const MAX_LINES = 300;

/** At most {@code max} runs, evenly spaced along the ranking by {@code metric} (the first and last included). */
function sampleByRank(runs, metric, max) {
  if (runs.length <= max) return runs;
  const ranked = [...runs].sort((a, b) => a.summary[metric] - b.summary[metric]);
  const out = [];
  for (let i = 0; i < max; i++) out.push(ranked[Math.round((i * (ranked.length - 1)) / (max - 1))]);
  return out;
}

/** A log axis for positive params spanning two decades or more (learning rates), categories for strings. */
function axisFor(name, dim, values) {
  const present = values.filter((v) => v !== undefined && v !== null);
  if (present.some((v) => typeof v !== 'number')) {
    const cats = [...new Set(present.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))))].sort();
    return { dim, name, type: 'category', data: cats };
  }
  const min = present.reduce((a, b) => Math.min(a, b), Infinity), max = present.reduce((a, b) => Math.max(a, b), -Infinity);
  if (min > 0 && max / min >= 100) return { dim, name, type: 'log' };
  return { dim, name, type: 'value', scale: true };
}

function axisValue(axis, v) {
  if (axis.type === 'category') return v === undefined || v === null ? null : (typeof v === 'string' ? v : JSON.stringify(v));
  return v === undefined ? null : v;
}
