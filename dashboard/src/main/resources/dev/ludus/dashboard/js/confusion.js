// Confusion-matrix arithmetic: counts[actual][predicted].

export function rowNormalize(counts) {
  return counts.map((row) => {
    const total = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (total === 0 ? 0 : v / total));
  });
}

/** Per class: precision = TP / predicted as the class, recall = TP / actually the class (NaN when undefined). */
export function perClass(labels, counts) {
  const k = labels.length;
  return labels.map((label, i) => {
    const tp = counts[i][i];
    let actual = 0, predicted = 0;
    for (let j = 0; j < k; j++) { actual += counts[i][j]; predicted += counts[j][i]; }
    const precision = predicted === 0 ? NaN : tp / predicted;
    const recall = actual === 0 ? NaN : tp / actual;
    const f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : NaN;
    return { label, precision, recall, f1, support: actual };
  });
}

export function accuracy(counts) {
  let correct = 0, total = 0;
  counts.forEach((row, i) => row.forEach((v, j) => { total += v; if (i === j) correct += v; }));
  return total === 0 ? NaN : correct / total;
}
