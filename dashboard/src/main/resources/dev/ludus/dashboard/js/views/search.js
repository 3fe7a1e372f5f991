// The search panel of a sweep page: a TPE study's optimisation history (each trial's value and the best so far),
// a race's survivors and eliminations (with why), and the runs a pruner stopped (with the rung). Reads
// GET /api/sweeps/:id/search (method grid/random: nothing to show) and the sweep's pruned runs.
import { api, q } from '../api.js';
import { h, stateBox, fmtNum } from '../ui.js';
import { createChart } from '../charts.js';

export function searchPanel(ctx, sweepId) {
  const box = h('section', { class: 'panel', id: 'search-panel', hidden: true });
  let chart = null;

  async function load() {
    let report = null;
    let pruned = [];
    try {
      report = await api(`/sweeps/${sweepId}/search`);
    } catch (e) {
      if (e.status !== 404) { box.hidden = false; box.replaceChildren(stateBox('error', `Could not load the search: ${e.describe()}`)); }
      return;
    }
    try {
      pruned = await api(`/sweeps/${sweepId}/runs?filter=${q("status = 'pruned'")}`);
    } catch (e) {
      pruned = [];
    }
    if (!ctx.alive) return;
    const parts = [];
    if (report && report.method === 'tpe') parts.push(...history(report));
    if (report && report.method === 'racing') parts.push(...race(report));
    if (report && report.method === 'tpe' && report.racing) parts.push(...race(report.racing)); // a raced study
    if (pruned.length) parts.push(prunedTable(pruned));
    box.hidden = parts.length === 0;
    box.replaceChildren(...parts);
    if (report && report.method === 'tpe') drawHistory(report);
  }

  function history(report) {
    const done = report.trials.filter((t) => t.value !== null && t.value !== undefined);
    const best = report.best;
    return [
      h('div', { class: 'panel-head' }, h('h2', {}, 'Optimisation history')),
      h('div', { class: 'hint', id: 'search-summary' },
        `TPE, ${report.direction} ${report.objective}: ${done.length} of ${report.trialsPlanned} trials have a value`
        + (best ? `; best: trial ${best.trial + 1} = ${fmtNum(best.value)}` : '') + '.'),
      h('div', { class: 'chart', id: 'search-history-chart' }),
    ];
  }

  function drawHistory(report) {
    const el = box.querySelector('#search-history-chart');
    if (!el) return;
    if (!chart) chart = createChart(ctx, el);
    const points = report.trials.filter((t) => t.value !== null && t.value !== undefined);
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'item' },
      legend: { data: ['trial value', 'best so far'] },
      xAxis: { type: 'value', name: 'trial', minInterval: 1 },
      yAxis: { type: 'value', name: report.objective, scale: true },
      series: [
        { name: 'trial value', type: 'scatter', data: points.map((t) => [t.trial + 1, t.value]) },
        { name: 'best so far', type: 'line', step: 'end', showSymbol: false,
          data: report.trials.filter((t) => t.bestSoFar !== null && t.bestSoFar !== undefined).map((t) => [t.trial + 1, t.bestSoFar]) },
      ],
    }, true);
  }

  function race(report) {
    const label = (p) => Object.entries(p || {}).map(([k, v]) => `${k}=${typeof v === 'number' ? fmtNum(v) : JSON.stringify(v)}`).join(', ');
    return [
      h('div', { class: 'panel-head' }, h('h2', {}, 'Seed racing')),
      h('div', { class: 'hint', id: 'race-summary' },
        `${report.test} test at ${report.confidence} confidence, ${report.direction} ${report.objective}: `
        + `${report.survivors.length} of ${report.configurations} configurations left after ${report.seedsUsed} seeds`
        + (report.done ? ' (race over).' : ' (racing).')),
      h('h3', {}, 'Survivors'),
      h('table', { class: 'grid', id: 'race-survivors' },
        h('thead', {}, h('tr', {}, ['#', 'configuration', 'params', 'mean', 'CI ±', 'n'].map((t) => h('th', {}, t)))),
        h('tbody', {}, report.survivors.map((s, i) => h('tr', {}, h('td', {}, i + 1), h('td', {}, s.configuration),
          h('td', {}, label(s.params)), h('td', { class: 'num' }, fmtNum(s.mean)),
          h('td', { class: 'num' }, s.ciHalfWidth === null ? '–' : fmtNum(s.ciHalfWidth)), h('td', { class: 'num' }, s.n))))),
      h('h3', {}, 'Eliminated'),
      report.eliminated.length === 0 ? stateBox('empty', 'No configuration eliminated yet.')
        : h('table', { class: 'grid', id: 'race-eliminated' },
          h('thead', {}, h('tr', {}, ['configuration', 'params', 'round', 'seeds', 'why'].map((t) => h('th', {}, t)))),
          h('tbody', {}, report.eliminated.map((e) => h('tr', {}, h('td', {}, e.configuration), h('td', {}, label(e.params)),
            h('td', { class: 'num' }, e.round), h('td', { class: 'num' }, e.seeds), h('td', {}, e.reason))))),
    ];
  }

  function prunedTable(runs) {
    return h('div', { id: 'pruned-runs' },
      h('h3', {}, `Pruned runs (${runs.length})`),
      h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, ['run', 'why (rung)'].map((t) => h('th', {}, t)))),
        h('tbody', {}, runs.map((r) => h('tr', {}, h('td', {}, h('a', { href: `#/runs/${r.id}` }, r.name)), h('td', {}, r.error || ''))))));
  }

  return { element: box, load };
}
