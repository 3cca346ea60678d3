/**
 * Captures what a piece of code writes to stdout and stderr — where Powertools Logger and Metrics write their JSON
 * lines (WARN and ERROR on stderr) — so a test can read its log lines and EMF metrics.
 */
export async function captureJsonLines<T>(fn: () => Promise<T>): Promise<{ result: T; lines: Record<string, any>[] }> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write;
  }
  let result: T;
  try {
    result = await fn();
  } finally {
    streams.forEach((stream, i) => {
      stream.write = originals[i]!;
    });
  }
  const lines = chunks
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, any>);
  return { result, lines };
}
