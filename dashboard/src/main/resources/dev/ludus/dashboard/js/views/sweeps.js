// #/ — every sweep with its task, status and live progress.
import { api } from '../api.js';
import { throttle } from '../live.js';
import { h, stateBox, statusBadge, taskSummary, progress, fmtTime } from '../ui.js';

export async function sweepsView(main, ctx) {
  const body = h('div', { id: 'sweeps-body' }, stateBox('loading', 'Loading sweeps…'));
  main.append(
    h('div', { class: 'page-head' },
      h('h1', {}, 'Sweeps'),
      h('a', { class: 'button primary', href: '#/launch' }, 'Launch a sweep')),
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
    if (sweeps.length === 0) {
      body.replaceChildren(stateBox('empty', 'No sweeps yet. ',
        h('a', { href: '#/launch' }, 'Launch one'), ' from a file in experiments/ or your own definition, or log runs from your own program with POST /api/runs.'));
      return;
    }
    body.replaceChildren(h('table', { class: 'grid', id: 'sweeps-table' },
      h('thead', {}, h('tr', {}, ['Id', 'Name', 'Task', 'Status', 'Progress', 'Created'].map((t) => h('th', {}, t)))),
      h('tbody', {}, sweeps.map((s) => h('tr', { dataset: { sweepId: s.id } },
        h('td', { class: 'num' }, s.id),
        h('td', {}, h('a', { href: `#/sweeps/${s.id}` }, s.name || `sweep ${s.id}`)),
        h('td', { class: 'task' }, taskSummary(s.task)),
        h('td', { class: 'status' }, statusBadge(s.status)),
        h('td', { class: 'progress-col' }, progress(s)),
        h('td', { class: 'time' }, fmtTime(s.createdAt)))))));
  }

  const refresh = throttle(load, 400);
  ctx.live((type) => { if (type === 'sweep') refresh(); });
  await load();
  return loadError;
}
