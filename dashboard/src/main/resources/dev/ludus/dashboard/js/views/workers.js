// #/workers — the cluster's members (ludus serve --cluster-port): who runs trials, what each runs now, when each last answered.
import { api } from '../api.js';
import { throttle } from '../live.js';
import { h, stateBox, fmtTime } from '../ui.js';

/** "3 s ago" for a heartbeat: a member silent longer than the timeout is dropped by the coordinator. */
function ago(ms, now) {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 60 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

export async function workersView(main, ctx) {
  const body = h('div', { id: 'workers-body' }, stateBox('loading', 'Loading workers…'));
  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'Workers')), body);

  async function load() {
    let w;
    try {
      w = await api('/workers');
    } catch (e) {
      if (!ctx.alive) return;
      body.replaceChildren(stateBox('error', `Could not load the workers: ${e.describe()}`));
      return;
    }
    if (!ctx.alive) return;
    if (!w.cluster) {
      body.replaceChildren(stateBox('empty', 'This server is not a cluster coordinator: every trial runs in this process. ',
        'Start it with --cluster-port 5701 and join workers with ./ludus worker --join HOST:5701 --token TOKEN.'));
      return;
    }
    const now = Date.now();
    body.replaceChildren(
      h('p', { class: 'muted' }, `${w.workers.length} member(s), ${w.capacity} runner(s) in all; `
        + `a worker silent for ${Math.round(w.workerTimeoutMs / 1000)} s is dropped and its runs re-queued.`),
      h('table', { class: 'grid', id: 'workers-table' },
        h('thead', {}, h('tr', {}, ['Host', 'Role', 'Cores', 'Runners', 'Current runs', 'Runs ended', 'Joined', 'Last heartbeat']
          .map((t) => h('th', {}, t)))),
        h('tbody', {}, w.workers.map((m) => h('tr', { dataset: { workerId: m.id } },
          h('td', { title: `${m.id} (pid ${m.pid})` }, m.host),
          h('td', {}, m.coordinator ? 'coordinator' : 'worker'),
          h('td', { class: 'num' }, m.cores),
          h('td', { class: 'num' }, m.runners),
          h('td', { class: 'runs' }, m.runs.length === 0 ? '—'
            : m.runs.flatMap((id, i) => [i ? ', ' : '', h('a', { href: `#/runs/${id}` }, `#${id}`)])),
          h('td', { class: 'num' }, m.runsEnded),
          h('td', { class: 'time' }, fmtTime(m.joinedAt)),
          h('td', { class: 'time' }, ago(m.lastHeartbeat, now)))))));
  }

  const refresh = throttle(load, 1000);
  ctx.live((type) => { if (type === 'run') refresh(); });
  const timer = setInterval(load, 2000); // heartbeats are not events: refresh their age
  ctx.onDispose(() => clearInterval(timer));
  await load();
}
