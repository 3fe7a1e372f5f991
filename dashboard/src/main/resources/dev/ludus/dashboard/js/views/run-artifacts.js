// The run page's saved files and its "re-run" action: the artifacts table (name, size, SHA-256, download link)
// and a button that re-runs the run from its stored provenance (POST /api/runs/:id/rerun).
import { api, withToken, q, ApiError } from '../api.js';
import { h, stateBox, fmtTime } from '../ui.js';

/** "512 B", "1.5 KiB", "24.3 MiB": binary units, 3 significant digits. */
export function fmtBytes(n) {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${n} B` : `${Number(v.toPrecision(3))} ${units[u]}`;
}

/** A panel listing the run's artifacts; it loads itself and reloads with reload() (when the run ends). */
export function artifactsPanel(ctx, runId) {
  const box = h('section', { class: 'panel', id: 'artifacts' }, h('h2', {}, 'Artifacts'), stateBox('loading', 'Loading artifacts…'));
  async function reload() {
    let list;
    try {
      list = await api(`/runs/${runId}/artifacts`);
    } catch (e) {
      if (ctx.alive) box.replaceChildren(h('h2', {}, 'Artifacts'), stateBox('error', `Could not load the artifacts: ${e.describe()}`));
      return;
    }
    if (!ctx.alive) return;
    const total = list.reduce((a, x) => a + x.size, 0);
    box.replaceChildren(
      h('div', { class: 'panel-head' }, h('h2', {}, 'Artifacts'),
        list.length ? h('span', { class: 'muted' }, `${list.length} file${list.length === 1 ? '' : 's'}, ${fmtBytes(total)}`) : null),
      list.length === 0
        ? h('div', { class: 'muted' }, 'No saved files. RL runs save final.model and best.model when they end; tracked runs upload with PUT /api/runs/:id/artifacts/:name.')
        : h('table', { class: 'grid', id: 'artifact-list' },
          h('thead', {}, h('tr', {}, ['name', 'size', 'SHA-256', 'saved', ''].map((t) => h('th', { class: t === 'size' ? 'num' : '' }, t)))),
          h('tbody', {}, list.map((a) => h('tr', { dataset: { name: a.name } },
            h('td', {}, a.name),
            h('td', { class: 'num', title: `${a.size.toLocaleString('en-US')} bytes` }, fmtBytes(a.size)),
            h('td', { class: 'mono', title: a.sha256 }, `${a.sha256.slice(0, 12)}…`),
            h('td', {}, fmtTime(a.createdAt)),
            h('td', {}, h('a', { class: 'button download', href: withToken(`/api/runs/${runId}/artifacts/${q(a.name)}`), download: a.name }, 'download')))))));
  }
  reload();
  return { el: box, reload };
}

/**
 * "Re-run": a new one-run sweep from this run's provenance. Disabled for runs that have none (queued, or logged
 * by an outside program); the API's refusal (a changed dataset or plug-in) is shown beside the button.
 */
export function rerunControl(run) {
  const p = run.provenance || {};
  const message = h('span', { class: 'rerun-message muted', role: 'status' });
  const possible = !!p.task;
  const button = h('button', {
    type: 'button', id: 'rerun', disabled: !possible,
    title: possible ? 'Run the same task, every hyperparameter and the seed again, as a new sweep'
      : (p.tracked ? 'Logged by an outside program: Ludus has no task to re-run' : 'This run has not started: no provenance yet'),
    onclick: async () => {
      button.disabled = true;
      message.className = 'rerun-message muted';
      message.textContent = 'Starting the re-run…';
      try {
        const r = await api(`/runs/${run.id}/rerun`, { method: 'POST', body: {} });
        const warn = (r.warnings || []).length ? ` (${r.warnings.join('; ')})` : '';
        message.replaceChildren(`Re-run started: `, h('a', { href: `#/runs/${r.runId}` }, `run ${r.runId}`), ' in ',
          h('a', { href: `#/sweeps/${r.sweepId}` }, `sweep ${r.sweepId}`), warn);
      } catch (e) {
        message.className = 'rerun-message error';
        message.textContent = e instanceof ApiError ? e.describe() : String(e);
      } finally {
        button.disabled = !possible;
      }
    },
  }, 'Re-run');
  return h('span', { class: 'rerun' }, button, ' ', message);
}
