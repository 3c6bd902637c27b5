import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/services/db/database';

/** A real SQLite database in a fresh temporary file, migrated like production. */
export async function tempDatabase(): Promise<{ db: Db; file: string; dir: string; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sesame-test-'));
  const file = path.join(dir, 'sesame.db');
  const db = await openDatabase(file);
  return {
    db,
    file,
    dir,
    cleanup: async () => {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sesame-test-'));
}
