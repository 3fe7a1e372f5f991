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
  const show = (state) => {
    indicator.dataset.state = state;
    indicator.textContent = { live: 'live', down: 'live updates reconnecting…', closed: 'live updates off' }[state] || 'connecting…';
    indicator.title = {
      live: 'Receiving live updates from /api/events',
      down: 'The live stream dropped; the browser retries on its own. Pages still load, but do not update by themselves.',
      closed: 'The server refused the live stream (a missing or wrong token?). Reload with the dashboard link the server printed.',
    }[state] || 'Connecting to /api/events';
  };
  const dispatch = (type, raw) => {
    let data;
    try { data = JSON.parse(raw); } catch { return; }
    for (const fn of [...listeners]) fn(type, data);
  };
  const url = new URL(withToken('/api/events'), location.href).href;

  // Preferred: one stream shared by all tabs through a SharedWorker (see live-worker.js).
  let port = null;
  if (typeof SharedWorker !== 'undefined') {
    try {
      port = new SharedWorker('js/live-worker.js', { name: 'ludus-live' }).port;
    } catch {
      port = null;
    }
  }
  if (port) {
    port.onmessage = (message) => {
      if (message.data.state) show(message.data.state);
      if (message.data.type) dispatch(message.data.type, message.data.data);
    };
    port.start();
    show('connecting');
    port.postMessage({ op: 'hello', url });
    window.addEventListener('pagehide', () => port.postMessage({ op: 'bye' }));
    window.addEventListener('pageshow', (e) => { if (e.persisted) port.postMessage({ op: 'hello', url }); });
    return;
  }

  // Fallback: a stream of this tab's own.
  const open = () => {
    if (source) return;
    show('connecting');
    source = new EventSource(url);
    source.onopen = () => show('live');
    source.onerror = () => show(source && source.readyState === EventSource.CLOSED ? 'closed' : 'down');
    for (const type of ['run', 'sweep', 'metrics']) source.addEventListener(type, (event) => dispatch(type, event.data));
  };
  // A page kept in the back/forward cache with its stream open would hold one of the browser's
  // few connections per host, so the stream closes with the page and reopens if it comes back.
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
