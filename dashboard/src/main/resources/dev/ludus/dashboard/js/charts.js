// ECharts (global `echarts` from the WebJar) helpers: creation bound to the view's lifetime, palettes, bands.

export const PALETTE = ['#2f6fde', '#e8590c', '#2b8a3e', '#c2255c', '#7048e8', '#0c8599', '#e67700', '#5c940d',
  '#a61e4d', '#364fc7', '#087f5b', '#d9480f', '#862e9c', '#1864ab', '#66a80f', '#c92a2a'];

export function colorAt(i) {
  return PALETTE[i % PALETTE.length];
}

/**
 * The j-th of n shades of a palette colour, from darker to lighter: the seeds of one configuration
 * share its colour family, so a glance tells configurations apart and seeds within one.
 */
export function shadeOf(color, j, n) {
  if (n <= 1) return color;
  const t = -0.35 + 0.7 * (j / (n - 1));     // -0.35 (towards black) .. +0.35 (towards white)
  const rgb = [1, 3, 5].map((k) => parseInt(color.slice(k, k + 2), 16));
  const mixed = rgb.map((c) => Math.round(t < 0 ? c * (1 + t) : c + (255 - c) * t));
  return `#${mixed.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** Creates a chart in `el`, resizing with the window; disposed when the view goes. */
export function createChart(ctx, el) {
  if (typeof echarts === 'undefined') {
    throw new Error('the chart library did not load (/webjars/echarts/5.5.0/echarts.min.js)');
  }
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);
  ctx.onDispose(() => { window.removeEventListener('resize', resize); chart.dispose(); });
  return chart;
}

/**
 * A filled band between lo and hi as one polygon (a custom series): stacking lines only works on
 * category axes, and curves here live on value axes. Its data holds both edges so the axis
 * extent includes the band.
 */
export function bandSeries({ id, name, xs, lo, hi, color, opacity = 0.18 }) {
  const upper = [], lower = [];
  for (let i = 0; i < xs.length; i++) {
    if (Number.isFinite(lo[i]) && Number.isFinite(hi[i])) { upper.push([xs[i], hi[i]]); lower.push([xs[i], lo[i]]); }
  }
  const ring = upper.concat(lower.reverse());
  return {
    id, name, type: 'custom', silent: true, clip: true, z: 1,
    encode: { x: 0, y: 1 }, tooltip: { show: false },
    data: ring,
    itemStyle: { color },
    renderItem(params, api) {
      if (params.dataIndex !== 0 || ring.length < 3) return null;
      return {
        type: 'polygon',
        shape: { points: ring.map((p) => api.coord(p)) },
        style: { fill: color, opacity },
      };
    },
  };
}

export function baseGrid() {
  return { left: 64, right: 24, top: 40, bottom: 56, containLabel: false };
}
