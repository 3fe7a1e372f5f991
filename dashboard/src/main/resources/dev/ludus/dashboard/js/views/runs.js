// #/runs?filter=tag:baseline and summary.eval/return_mean > 400&sort=...&order=...&runs=3,17 — every sweep's runs,
// searched with the filter language (tags included), to pick runs from several sweeps and compare them.
import { api } from '../api.js';
import { throttle } from '../live.js';
import { h, stateBox, statusBadge, fmtNum, fmtDuration } from '../ui.js';
import { varyingParams } from '../curves-math.js';
import { starButton, tagChips, archivedToggle, showArchived } from '../marks.js';

export async function runsView(main, ctx) {
  const filterInput = h('input', {
    type: 'text', id: 'all-runs-filter', class: 'code', value: ctx.query.get('filter') || '',
    placeholder: "e.g. tag:baseline and status = 'finished'", 'aria-label': 'Filter runs of every sweep',
  });
  const filterError = h('div', { class: 'field-error', id: 'all-runs-filter-error', role: 'alert', hidden: true });
  const tableBox = h('div', { id: 'all-runs-body' }, stateBox('loading', 'Loading runs…'));
  const selection = new Set((ctx.query.get('runs') || '').split(',').filter(Boolean).map(Number));
  const compareLink = h('a', { class: 'button primary', id: 'compare-selected' });

  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'All runs'), h('a', { href: '#/' }, '← sweeps')),
    h('div', { class: 'muted' }, 'Runs of every sweep. Filter with the same language as a sweep\'s runs, plus tag:NAME, starred = true, archived = true and sweepId = N; pick runs from several sweeps and compare them.'),
    h('form', { class: 'filter-bar', onsubmit: (e) => { e.preventDefault(); applyFilter(); } },
      filterInput, h('button', { type: 'submit' }, 'Filter'),
      h('button', { type: 'button', onclick: () => { filterInput.value = ''; applyFilter(); } }, 'Clear')),
    filterError,
    h('div', { class: 'actions' }, compareLink, archivedToggle(ctx, () => load())),
    tableBox);

  function updateCompareLink() {
    const ids = [...selection];
    compareLink.textContent = ids.length ? `Compare ${ids.length} selected run${ids.length > 1 ? 's' : ''}` : 'Compare selected runs';
    compareLink.href = ids.length ? `#/compare?runs=${ids.join(',')}` : '#/runs';
    compareLink.classList.toggle('disabled', ids.length < 2);
    ctx.setQuery({ runs: ids.join(',') });
  }
  updateCompareLink();

  function applyFilter() {
    ctx.setQuery({ filter: filterInput.value.trim() });
    load();
  }

  let runs = [];
  async function load() {
    const params = new URLSearchParams();
    const filter = ctx.query.get('filter');
    if (filter) params.set('filter', filter);
    params.set('sort', ctx.query.get('sort') || 'id');
    params.set('order', ctx.query.get('order') || 'desc');
    try {
      runs = await api(`/runs?${params}`);
      filterError.hidden = true;
    } catch (e) {
      if (!ctx.alive) return;
      if (e.field === 'filter' || e.status === 400) {
        filterError.hidden = false;
        filterError.textContent = e.message;
        if (!tableBox.querySelector('table')) tableBox.replaceChildren(stateBox('error', 'No runs shown: the filter above is not valid. Fix it or press Clear.'));
        return;
      }
      tableBox.replaceChildren(stateBox('error', `Could not load the runs: ${e.describe()}`));
      return;
    }
    if (!ctx.alive) return;
    const hidden = showArchived(ctx) ? [] : runs.filter((r) => r.archived || r.sweepArchived);
    if (hidden.length) runs = runs.filter((r) => !(r.archived || r.sweepArchived));
    render(filter, hidden.length);
  }

  function render(filter, hidden) {
    if (runs.length === 0) {
      const why = filter ? 'No run matches this filter.' : 'No runs yet.';
      tableBox.replaceChildren(stateBox('empty', why, hidden ? ` (${hidden} archived run${hidden === 1 ? '' : 's'} hidden.)` : ''));
      return;
    }
    const params = varyingParams(runs);
    const summaryKeys = [...new Set(runs.flatMap((r) => Object.keys(r.summary || {})))].sort()
      .filter((k, _, all) => all.length <= 6 || /^(eval|test|val)\//.test(k));
    const sort = ctx.query.get('sort') || 'id';
    const order = ctx.query.get('order') || 'desc';
    const th = (label, key, cls) => h('th', {
      class: `sortable ${cls || ''} ${sort === key ? `sorted-${order}` : ''}`, dataset: { sort: key }, title: `Sort by ${key}`,
      onclick: () => { ctx.setQuery({ sort: key, order: sort === key && order === 'asc' ? 'desc' : 'asc' }); load(); },
    }, label);
    const sweeps = new Set(runs.map((r) => r.sweepId));
    const pickTag = (t) => { filterInput.value = `tag:${t}`; applyFilter(); };
    tableBox.replaceChildren(
      h('div', { class: 'muted', id: 'all-runs-count' }, `${runs.length} run${runs.length === 1 ? '' : 's'} in ${sweeps.size} sweep${sweeps.size === 1 ? '' : 's'}`
        + (hidden ? ` (${hidden} archived hidden)` : '')),
      h('div', { class: 'table-scroll' }, h('table', { class: 'grid', id: 'all-runs-table' },
        h('thead', {}, h('tr', {}, h('th', {}, ''), th('★', 'starred'), th('Run', 'name'), th('Sweep', 'sweepId'), h('th', {}, 'Tags'),
          th('Status', 'status'), th('Seed', 'seed', 'num'),
          params.map((k) => th(k, `params.${k}`, 'num param')), summaryKeys.map((k) => th(k, `summary.${k}`, 'num metric')),
          h('th', {}, 'Duration'))),
        h('tbody', {}, runs.map((r) => h('tr', { dataset: { runId: r.id, sweepId: r.sweepId }, class: r.archived || r.sweepArchived ? 'archived' : null },
          h('td', {}, h('input', {
            type: 'checkbox', 'aria-label': `Select run ${r.id}`, checked: selection.has(r.id),
            onchange: (e) => { if (e.target.checked) selection.add(r.id); else selection.delete(r.id); updateCompareLink(); },
          })),
          h('td', {}, starButton('run', r, (stored) => { Object.assign(r, stored); render(filter, hidden); })),
          h('td', {}, h('a', { href: `#/runs/${r.id}` }, r.name || `run ${r.id}`)),
          h('td', {}, h('a', { href: `#/sweeps/${r.sweepId}` }, r.sweepName || `sweep ${r.sweepId}`)),
          h('td', { class: 'tags' }, tagChips(r.tags, pickTag)),
          h('td', { class: 'status', title: r.error || '' }, statusBadge(r.status)),
          h('td', { class: 'num' }, r.seed ?? '–'),
          params.map((k) => h('td', { class: 'num param' }, fmtNum((r.params || {})[k]))),
          summaryKeys.map((k) => h('td', { class: 'num metric' }, fmtNum((r.summary || {})[k]))),
          h('td', { class: 'num' }, fmtDuration(r.startedAt, r.finishedAt))))))));
  }

  const refresh = throttle(load, 1000);
  ctx.live((type) => { if (type === 'run' || type === 'deleted') refresh(); });
  await load();
}
