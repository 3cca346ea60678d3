/**
 * Vitest setupFile of every project, first: quiet output for passing tests. Powertools Logger and Metrics write their
 * JSON lines through their own `Console` on `process.stdout` and `process.stderr` (the global console only with
 * `POWERTOOLS_DEV`, which would also pretty-print the lines and turn metrics off), so vitest, which sees only the
 * global console, would let every handler's log line scroll past. Here whatever the test process writes to those
 * streams goes through the global console instead: vitest files it under the running test, and `silent: 'passed-only'`
 * in vitest.config.ts prints it only when that test (or its suite or file) fails. `captureJsonLines` (output.ts) still
 * sees the lines: it swaps `write` on the streams while it reads them.
 */
type Write = typeof process.stdout.write;

function throughConsole(stream: NodeJS.WriteStream, print: (text: string) => void): void {
  const original = stream.write;
  let inside = false;
  stream.write = function write(chunk: string | Uint8Array, ...rest: unknown[]): boolean {
    // Should the console ever write to this stream itself, it goes out as it always did.
    if (inside) return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    inside = true;
    try {
      print(text.endsWith('\n') ? text.slice(0, -1) : text);
    } finally {
      inside = false;
    }
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    if (callback) process.nextTick(callback);
    return true;
  } as Write;
}

throughConsole(process.stdout, (text) => console.log('%s', text));
throughConsole(process.stderr, (text) => console.error('%s', text));
