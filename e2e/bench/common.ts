// Helpers for the browser benchmarks: figures are printed as `name: value unit` lines, like the
// native benchmarks, with min, median and max of the repeats.

export function summary(values: number[]): string {
  // A figure the browser did not record (NaN) is left out, and the count says so.
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return 'not recorded';
  const median = sorted[Math.floor(sorted.length / 2)];
  const fixed = (n: number) => n.toFixed(0);
  return `min ${fixed(sorted[0])} ms, median ${fixed(median)} ms, max ${fixed(sorted[sorted.length - 1])} ms (${sorted.length} of ${values.length} runs)`;
}

export function report(line: string) {
  // Printed on stdout so the test command's log carries the figure.
  process.stdout.write(`${line}\n`);
}
