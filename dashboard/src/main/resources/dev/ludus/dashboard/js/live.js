// One EventSource for the whole page; views subscribe and unsubscribe as they come and go.
import { withToken } from './api.js';

const listeners = new Set();
let source = null;

/** fn(type, data) for type in run | sweep | metrics. Returns the unsubscribe function. */
export function onLive(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function startLive(indicator) {
  const show = (state, text) => {
    indicator.dataset.state = state;
    indicator.textContent = text;
    indicator.title = state === 'live' ? 'Receiving live updates from /api/events'
      : 'The live stream is down; the browser retries on its own. Pages still load, but will not update by themselves.';
  };
  const open = () => {
    if (source) return;
    show('connecting', 'connecting…');
    source = new EventSource(withToken('/api/events'));
    source.onopen = () => show('live', 'live');
    source.onerror = () => show('down', 'live updates reconnecting…');
    for (const type of ['run', 'sweep', 'metrics']) {
      source.addEventListener(type, (event) => {
        let data;
        try { data = JSON.parse(event.data); } catch { return; }
        for (const fn of [...listeners]) fn(type, data);
      });
    }
  };
  // Browsers allow ~6 connections per host; a page kept in the back/forward cache with its stream
  // open would hold one of them, so the stream closes with the page and reopens if it comes back.
  window.addEventListener('pagehide', () => { if (source) { source.close(); source = null; } });
  window.addEventListener('pageshow', (e) => { if (e.persisted) open(); });
  open();
}

/** Calls fn at most once per `ms`, always running a last call after the burst so nothing is missed. */
export function throttle(fn, ms) {
  let timer = null, pending = false, last = 0;
  return function throttled() {
    const now = Date.now();
    if (timer) { pending = true; return; }
    const wait = Math.max(0, last + ms - now);
    timer = setTimeout(() => {
      timer = null; last = Date.now(); pending = false;
      Promise.resolve(fn()).finally(() => { if (pending) throttled(); });
    }, wait);
  };
}
