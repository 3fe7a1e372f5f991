// A SharedWorker holding the one EventSource that every dashboard tab of this origin shares.
// Browsers open at most ~6 HTTP/1.1 connections per host; one stream per tab would make the
// seventh tab hang, so tabs subscribe here instead of opening their own stream.
let source = null;
let url = null;
let state = 'connecting';
const ports = new Set();

function broadcast(message) {
  for (const port of ports) port.postMessage(message);
}

function open() {
  if (!url) return;
  // A new address (another token) or a stream the browser gave up on (e.g. refused with 401) is reopened.
  if (source && (source.url !== url || source.readyState === EventSource.CLOSED)) {
    source.close();
    source = null;
  }
  if (source) return;
  source = new EventSource(url);
  state = 'connecting';
  source.onopen = () => { state = 'live'; broadcast({ state }); };
  source.onerror = () => {
    state = source && source.readyState === EventSource.CLOSED ? 'closed' : 'down';
    broadcast({ state });
  };
  for (const type of ['run', 'sweep', 'metrics']) {
    source.addEventListener(type, (event) => broadcast({ type, data: event.data }));
  }
}

onconnect = (event) => {
  const port = event.ports[0];
  port.onmessage = (message) => {
    const { op } = message.data || {};
    if (op === 'hello') {
      ports.add(port);
      url = message.data.url;
      open();
      port.postMessage({ state });
    } else if (op === 'bye') {
      ports.delete(port);
      if (ports.size === 0 && source) {
        source.close();
        source = null;
        state = 'connecting';
      }
    }
  };
  port.start();
};
