// #/ — every sweep with its task, status and live progress.
import { api } from '../api.js';
import { throttle } from '../live.js';
import { h, stateBox, statusBadge, taskSummary, progress, fmtTime } from '../ui.js';
import { starButton, tagChips, archivedToggle, showArchived } from '../marks.js';

export async function sweepsView(main, ctx) {
  const body = h('div', { id: 'sweeps-body' }, stateBox('loading', 'Loading sweeps…'));
  main.append(
    h('div', { class: 'page-head' },
      h('h1', {}, 'Sweeps'),
      h('span', { class: 'actions' }, archivedToggle(ctx, () => load()), h('a', { class: 'button', href: '#/runs' }, 'Search all runs'),
        h('a', { class: 'button primary', href: '#/launch' }, 'Launch a sweep'))),
    body);

  let loadError = null;
  async function load() {
    let sweeps;
    try {
      sweeps = await api('/sweeps');
      loadError = null;
    } catch (e) {
      if (!ctx.alive) return;
      // Keep showing the last list if a refresh fails; say what happened either way.
      loadError = e;
      if (!body.querySelector('table')) body.replaceChildren(stateBox('error', `Could not load the sweeps: ${e.describe()}`));
      else body.prepend(stateBox('error', `Refreshing failed: ${e.describe()}`));
      return;
    }
    if (!ctx.alive) return;
    const hidden = showArchived(ctx) ? 0 : sweeps.filter((s) => s.archived).length;
    if (!showArchived(ctx)) sweeps = sweeps.filter((s) => !s.archived);
    if (sweeps.length === 0 && hidden > 0) {
      body.replaceChildren(stateBox('empty', `All ${hidden} sweeps are archived; tick “Show archived” to see them.`));
      return;
    }
    if (sweeps.length === 0) {
      body.replaceChildren(stateBox('empty', 'No sweeps yet. ',
        h('a', { href: '#/launch' }, 'Launch one'), ' from a file in experiments/ or your own definition, or log runs from your own program with POST /api/runs.'));
      return;
    }
    body.replaceChildren(hidden ? h('div', { class: 'muted', id: 'archived-hidden' }, `${hidden} archived sweep${hidden === 1 ? '' : 's'} hidden.`) : null, h('table', { class: 'grid', id: 'sweeps-table' },
      h('thead', {}, h('tr', {}, ['★', 'Id', 'Name', 'Tags', 'Task', 'Status', 'Progress', 'Created'].map((t) => h('th', {}, t)))),
      h('tbody', {}, sweeps.map((s) => h('tr', { dataset: { sweepId: s.id }, class: s.archived ? 'archived' : null },
        h('td', {}, starButton('sweep', s, () => load())),
        h('td', { class: 'num' }, s.id),
        h('td', {}, h('a', { href: `#/sweeps/${s.id}` }, s.name || `sweep ${s.id}`), s.archived ? h('span', { class: 'badge' }, 'archived') : null),
        h('td', { class: 'tags' }, tagChips(s.tags, (t) => { location.hash = `#/runs?filter=${encodeURIComponent(`tag:${t}`)}`; })),
        h('td', { class: 'task' }, taskSummary(s.task)),
        h('td', { class: 'status' }, statusBadge(s.status)),
        h('td', { class: 'progress-col' }, progress(s)),
        h('td', { class: 'time' }, fmtTime(s.createdAt)))))));
  }

  const refresh = throttle(load, 400);
  ctx.live((type) => { if (type === 'sweep' || type === 'deleted') refresh(); });
  await load();
  return loadError;
}
