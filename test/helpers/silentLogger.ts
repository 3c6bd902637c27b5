import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger';

export const silentLogger = createLogger('silent');

/** A real logger whose JSON lines are kept in memory, for tests that read the logs. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[]; raw: string[] } {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { logger: createLogger('info', sink), lines, raw };
}
