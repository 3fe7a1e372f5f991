// #/sweeps/7/compare?metric=eval/return_mean&a=<configId>&b=<configId>&dir=higher
// #/compare?runs=3,4,17,18&... — the same across sweeps: the picked runs (from #/runs), grouped by sweep and configuration.
// Two configurations of a sweep, compared on a final metric over their seeds: the distributions,
// the difference of means with a seeded bootstrap 95% CI, and the probability that B improves on A.
import { api } from '../api.js';
import { throttle } from '../live.js';
import { h, stateBox, fmtNum, fmtAxis, fmtSigned, fmtPct, preferredKey, lowerIsBetter } from '../ui.js';
import { createChart, colorAt, baseGrid } from '../charts.js';
import { groupByConfig, varyingParams, configLabel, configKey, configId } from '../curves-math.js';
import { meanCI95, fiveNumbers, bootstrapCompare, histogram, compareVerdict } from '../stats.js';

const ITERATIONS = 10000;

export async function compareView(main, ctx, sweepId) {
  const metricSelect = h('select', { id: 'cmp-metric', 'aria-label': 'Final metric' });
  const aSelect = h('select', { id: 'cmp-a', 'aria-label': 'Configuration A' });
  const bSelect = h('select', { id: 'cmp-b', 'aria-label': 'Configuration B' });
  const dirSelect = h('select', { id: 'cmp-dir', 'aria-label': 'Direction' },
    h('option', { value: 'higher' }, 'higher is better'), h('option', { value: 'lower' }, 'lower is better'));
  const seedInput = h('input', { type: 'number', id: 'cmp-seed', value: ctx.query.get('seed') || 1, min: 0, step: 1, class: 'narrow', 'aria-label': 'Bootstrap seed' });
  const body = h('div', { id: 'compare-body' }, stateBox('loading', 'Loading runs…'));
  const cross = sweepId === undefined;   // #/compare?runs=...: runs picked on the all-runs page
  const picked = (ctx.query.get('runs') || '').split(',').filter((x) => /^\d+$/.test(x));
  let sweepNames = new Map();
  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, cross ? 'Compare runs across sweeps' : 'Compare two configurations'),
      cross ? h('a', { href: `#/runs?runs=${picked.join(',')}` }, '← all runs') : h('a', { href: `#/sweeps/${sweepId}` }, `← sweep ${sweepId}`)),
    h('div', { class: 'controls panel' },
      h('label', {}, 'metric ', metricSelect), h('label', {}, 'A ', aSelect), h('label', {}, 'B ', bSelect),
      h('label', {}, dirSelect), h('label', { title: 'Seed of the bootstrap resampling: the same seed gives the same interval' }, 'bootstrap seed ', seedInput)),
    body);

  let runs = [];
  let distChart = null, bootChart = null;
  const distEl = h('div', { class: 'chart', id: 'compare-dist-chart' });
  const bootEl = h('div', { class: 'chart', id: 'compare-boot-chart' });

  async function load() {
    if (cross) {
      if (picked.length === 0) {
        body.replaceChildren(stateBox('empty', 'No runs picked: select runs on ', h('a', { href: '#/runs' }, 'the all-runs page'), ' and press “Compare”.'));
        return;
      }
      try {
        const [found, sweeps] = await Promise.all([
          Promise.all(picked.map((id) => api(`/runs/${id}`).catch((e) => (e.status === 404 ? null : Promise.reject(e))))),
          api('/sweeps')]);
        runs = found.filter(Boolean);
        sweepNames = new Map(sweeps.map((s) => [s.id, s.name]));
      } catch (e) {
        if (ctx.alive) body.replaceChildren(stateBox('error', `Could not load the picked runs: ${e.describe()}`));
        return;
      }
      if (ctx.alive) render();
      return;
    }
    try {
      runs = await api(`/sweeps/${sweepId}/runs`);
    } catch (e) {
      if (!ctx.alive) return;
      if (e.status === 404) main.replaceChildren(stateBox('error', `Could not load the runs of sweep ${sweepId}: ${e.describe()}`, ' ', h('a', { href: '#/' }, 'Go to the sweeps list.')));
      else body.replaceChildren(stateBox('error', `Could not load the runs of sweep ${sweepId}: ${e.describe()}`));
      return;
    }
    if (ctx.alive) render();
  }

  function render() {
    const finished = runs.filter((r) => r.status === 'finished');
    const metrics = [...new Set(finished.flatMap((r) => Object.keys(r.summary || {})))].sort();
    if (metrics.length === 0) {
      body.replaceChildren(stateBox('empty', runs.length === 0 ? 'This sweep has no runs.'
        : 'No finished run has a final metric yet; the comparison appears once runs finish.'));
      return;
    }
    const metric = metrics.includes(ctx.query.get('metric')) ? ctx.query.get('metric') : preferredKey(metrics);
    metricSelect.replaceChildren(...metrics.map((k) => h('option', { value: k, selected: k === metric }, k)));
    const dir = ctx.query.get('dir') || (lowerIsBetter(metric) ? 'lower' : 'higher');
    dirSelect.value = dir;
    const usable = finished.filter((r) => Number.isFinite((r.summary || {})[metric]));
    const groups = cross ? groupBySweepAndConfig(usable) : groupByConfig(usable);
    const varying = varyingParams(usable);
    const groupName = (g) => (cross ? `${sweepNames.get(g.sweepId) || `sweep ${g.sweepId}`}: ${configLabel(g.params, varying)}` : configLabel(g.params, varying));
    const label = (g) => `${groupName(g)} (${g.runs.length} seed${g.runs.length > 1 ? 's' : ''})`;
    if (groups.length < 2) {
      body.replaceChildren(stateBox('empty', `Comparing needs two configurations with finished runs that report ${metric}; ${cross ? 'the picked runs have' : 'this sweep has'} ${groups.length}.`));
      return;
    }
    const a = groups.find((g) => g.id === ctx.query.get('a')) || groups[0];
    const b = groups.find((g) => g.id === ctx.query.get('b') && g !== a) || groups.find((g) => g !== a);
    for (const [select, chosen] of [[aSelect, a], [bSelect, b]]) {
      select.replaceChildren(...groups.map((g) => h('option', { value: g.id, selected: g === chosen }, label(g))));
    }
    ctx.setQuery({ metric, a: a.id, b: b.id, dir, seed: seedInput.value });

    const valuesA = a.runs.map((r) => r.summary[metric]);
    const valuesB = b.runs.map((r) => r.summary[metric]);
    const higherIsBetter = dir === 'higher';
    const seed = Number(seedInput.value) || 0;
    const boot = bootstrapCompare(valuesA, valuesB, { iterations: ITERATIONS, seed, higherIsBetter });
    const ciA = meanCI95(valuesA), ciB = meanCI95(valuesB);
    const verdict = compareVerdict(valuesA.length, valuesB.length, boot, higherIsBetter);
    const judged = verdict.kind !== 'none';
    const few = judged && Math.min(valuesA.length, valuesB.length) < 3;

    const statRow = (name, g, values, ci, color) => h('tr', {},
      h('td', {}, h('span', { class: 'swatch', style: { background: color } }), name),
      h('td', {}, groupName(g)),
      h('td', { class: 'num' }, values.length),
      h('td', { class: 'num' }, fmtNum(ci.mean)),
      h('td', { class: 'num' }, values.length > 1 ? fmtNum(ci.std) : '–'),
      h('td', { class: 'num' }, values.length > 1 ? `[${fmtNum(ci.lo)}, ${fmtNum(ci.hi)}]` : '–'),
      h('td', { class: 'num' }, values.map((v) => fmtNum(v)).join(', ')));

    body.replaceChildren(
      h('div', { class: 'result panel', id: 'compare-result' },
        h('div', { class: 'big' }, `B − A = ${fmtSigned(boot.diff)}`),
        // a bootstrap of one value has no spread: its interval and "P = 100%" would be false certainty
        judged ? h('div', {}, `95% bootstrap CI [${fmtSigned(boot.lo)}, ${fmtSigned(boot.hi)}] · `,
          h('strong', { id: 'prob-improvement' }, `P(B better than A) = ${fmtPct(boot.probImprovement)}`)) : null,
        h('div', { id: 'compare-verdict', class: verdict.kind === 'better' ? 'good' : verdict.kind === 'worse' ? 'bad' : verdict.kind === 'none' ? 'warn' : 'muted' },
          verdict.text),
        judged ? h('div', { class: 'muted' }, `${ITERATIONS.toLocaleString('en-US')} bootstrap resamples of each configuration's seeds (seed ${seed}); ${metric}, ${dir} is better.`) : null,
        few ? h('div', { class: 'warn' }, 'Fewer than 3 seeds in a configuration: a bootstrap on so few values understates the uncertainty. Add seeds.') : null),
      h('table', { class: 'grid', id: 'compare-table' },
        h('thead', {}, h('tr', {}, ['', 'config', 'seeds', 'mean', 'std', '95% CI of mean (t)', 'per-seed values'].map((t) => h('th', {}, t)))),
        h('tbody', {}, statRow('A', a, valuesA, ciA, colorAt(0)), statRow('B', b, valuesB, ciB, colorAt(1)))),
      h('div', { class: 'two' },
        h('section', { class: 'panel' }, h('h2', {}, `${metric} over seeds`), distEl),
        h('section', { class: 'panel' }, h('h2', {}, 'Bootstrap distribution of B − A'),
          judged ? bootEl : stateBox('empty', 'No bootstrap distribution: it needs at least 2 seeds in each configuration.'))));

    distChart = distChart || createChart(ctx, distEl);
    distChart.setOption({
      animation: false,
      grid: baseGrid(),
      tooltip: { trigger: 'item', valueFormatter: (v) => fmtNum(v) },
      xAxis: { type: 'category', data: ['A', 'B'] },
      yAxis: { type: 'value', scale: true, name: metric, axisLabel: { formatter: fmtAxis } },
      series: [
        { type: 'boxplot', name: 'distribution', data: [fiveNumbers(valuesA), fiveNumbers(valuesB)],
          itemStyle: { color: 'rgba(47,111,222,0.08)', borderColor: '#555' } },
        { type: 'scatter', name: 'seeds', symbolSize: 9,
          data: [...valuesA.map((v) => ({ value: [0, v], itemStyle: { color: colorAt(0) } })),
            ...valuesB.map((v) => ({ value: [1, v], itemStyle: { color: colorAt(1) } }))] },
      ],
    }, true);

    if (!judged) return;
    const hist = histogram(boot.samples, 40);
    const centers = hist.counts.map((_, i) => (hist.edges[i] + hist.edges[i + 1]) / 2);
    bootChart = bootChart || createChart(ctx, bootEl);
    bootChart.setOption({
      animation: false,
      grid: baseGrid(),
      tooltip: { trigger: 'axis', valueFormatter: (v) => fmtNum(v) },
      // 0 (no difference) is drawn when it lies near the resamples; forcing it in would squash them into a line.
      xAxis: { type: 'value', name: 'B − A', nameLocation: 'middle', nameGap: 30, scale: true,
        axisLabel: { formatter: fmtAxis },
        min: (v) => (v.min > 0 && v.min < 0.5 * (v.max - v.min) ? 0 : v.min),
        max: (v) => (v.max < 0 && -v.max < 0.5 * (v.max - v.min) ? 0 : v.max) },
      yAxis: { type: 'value', name: 'resamples', axisLine: { onZero: false } },
      series: [{
        type: 'bar', barWidth: '90%', data: centers.map((c, i) => [c, hist.counts[i]]),
        itemStyle: { color: (p) => ((higherIsBetter ? p.value[0] > 0 : p.value[0] < 0) ? '#2b8a3e' : '#adb5bd') },
        markLine: {
          symbol: 'none', label: { formatter: '{b}' },
          data: [{ name: '0', xAxis: 0, lineStyle: { color: '#000' } },
            { name: '2.5%', xAxis: boot.lo, lineStyle: { type: 'dashed', color: '#e8590c' } },
            { name: '97.5%', xAxis: boot.hi, lineStyle: { type: 'dashed', color: '#e8590c' } }],
        },
      }],
    }, true);
  }

  for (const el of [metricSelect, aSelect, bSelect, dirSelect, seedInput]) {
    el.addEventListener('change', () => {
      // A new metric gets its own default direction (loss: lower is better).
      const dir = el === metricSelect ? null : dirSelect.value;
      ctx.setQuery({ metric: metricSelect.value, a: aSelect.value, b: bSelect.value, dir, seed: seedInput.value });
      render();
    });
  }
  const reload = throttle(load, 1500);
  ctx.live((type, data) => {
    if (type === 'run' && (cross ? picked.includes(String(data.runId)) : String(data.sweepId) === String(sweepId))) reload();
  });
  await load();
}

/** Across sweeps a configuration is a sweep's params: the same params in two sweeps are two groups to compare. */
function groupBySweepAndConfig(runs) {
  const groups = new Map();
  for (const r of runs) {
    const key = `${r.sweepId}|${configKey(r.params)}`;
    if (!groups.has(key)) groups.set(key, { key, id: `${r.sweepId}-${configId(r.params)}`, sweepId: r.sweepId, params: r.params || {}, runs: [] });
    groups.get(key).runs.push(r);
  }
  return [...groups.values()];
}
