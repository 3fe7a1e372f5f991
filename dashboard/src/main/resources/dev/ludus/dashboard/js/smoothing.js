// Curve smoothing. The slider's amount s in [0, 1) means the same thing for both methods:
// EMA weight s, and a moving-average window of 1 / (1 - s) points (the EMA's effective window).

/** Exponential moving average with TensorBoard's debiasing, so the curve does not start at 0. NaN values pass through. */
export function ema(values, weight) {
  const out = new Array(values.length);
  let last = 0, count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) { out[i] = v; continue; }
    last = last * weight + (1 - weight) * v;
    count += 1;
    out[i] = weight === 0 ? v : last / (1 - Math.pow(weight, count));
  }
  return out;
}

/** Trailing moving average over the last `window` finite values. */
export function movingAverage(values, window) {
  const w = Math.max(1, Math.floor(window));
  const out = new Array(values.length);
  const buf = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) { out[i] = v; continue; }
    buf.push(v); sum += v;
    if (buf.length > w) sum -= buf.shift();
    out[i] = sum / buf.length;
  }
  return out;
}

export function windowFor(amount) {
  return Math.max(1, Math.round(1 / (1 - Math.min(amount, 0.999))));
}

/** method: 'none' | 'ema' | 'ma'; amount in [0, 1). */
export function smooth(values, method, amount) {
  if (method === 'ema' && amount > 0) return ema(values, Math.min(amount, 0.999));
  if (method === 'ma' && amount > 0) return movingAverage(values, windowFor(amount));
  return values.slice();
}
