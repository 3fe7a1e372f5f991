// Hash router: every view has a URL (#/sweeps/7/curves?runs=1,2&key=episode/return) that can be shared.
import { h, stateBox } from './ui.js';
import { startLive, onLive } from './live.js';
import { sweepsView } from './views/sweeps.js';
import { launchView } from './views/launch.js';
import { sweepView } from './views/sweep.js';
import { curvesView } from './views/curves.js';
import { compareView } from './views/compare.js';
import { runView } from './views/run.js';
import { runsView } from './views/runs.js';
import { workersView } from './views/workers.js';

const routes = [
  [/^\/?$/, sweepsView, 'sweeps'],
  [/^\/sweeps\/?$/, sweepsView, 'sweeps'],
  [/^\/launch\/?$/, launchView, 'launch'],
  [/^\/sweeps\/(\d+)\/?$/, sweepView, 'sweeps'],
  [/^\/sweeps\/(\d+)\/curves\/?$/, curvesView, 'sweeps'],
  [/^\/sweeps\/(\d+)\/compare\/?$/, compareView, 'sweeps'],
  [/^\/runs\/(\d+)\/?$/, runView, 'sweeps'],
  [/^\/runs\/?$/, runsView, 'runs'],
  [/^\/compare\/?$/, compareView, 'runs'],
  [/^\/workers\/?$/, workersView, 'workers'],
];

/** What a view gets: its URL parameters, a place to register clean-ups, and live events. */
class ViewContext {
  constructor(path, query) {
    this.path = path;
    this.query = query;
    this.alive = true;
    this.cleanups = [];
  }

  onDispose(fn) { this.cleanups.push(fn); }

  live(fn) { this.onDispose(onLive((type, data) => { if (this.alive) fn(type, data); })); }

  /** Updates the URL's query without re-rendering, so the current state stays shareable. */
  setQuery(patch) {
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === undefined || v === '' || v === false) this.query.delete(k);
      else this.query.set(k, String(v));
    }
    const qs = this.query.toString();
    const hash = `#${this.path}${qs ? `?${qs}` : ''}`;
    // a URL naming a thousand runs is kilobytes: replacing it with itself still costs the browser a history update
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  dispose() {
    this.alive = false;
    for (const fn of this.cleanups.splice(0)) {
      try { fn(); } catch { /* a failing clean-up must not block the next view */ }
    }
  }
}

let current = null;

async function render() {
  const main = document.getElementById('view');
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs = ''] = raw.split('?');
  if (current) current.dispose();
  main.replaceChildren();
  const ctx = new ViewContext(path, new URLSearchParams(qs));
  current = ctx;
  const match = routes.map(([re, view, nav]) => [re.exec(path), view, nav]).find(([m]) => m);
  document.querySelectorAll('header nav a').forEach((a) => a.classList.toggle('active', !!match && a.dataset.nav === match[2]));
  if (!match) {
    main.append(stateBox('error', `There is no page at #${path}.`, ' ', h('a', { href: '#/' }, 'Go to the sweeps list.')));
    return;
  }
  const [m, view] = match;
  try {
    await view(main, ctx, ...m.slice(1));
  } catch (e) {
    if (!ctx.alive) return;
    console.warn(e);
    main.append(stateBox('error', `This page failed: ${e.describe ? e.describe() : e.message}`));
  }
}

window.addEventListener('hashchange', render);
startLive(document.getElementById('live'));
render();
