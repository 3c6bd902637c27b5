// SQL statements counted at the drivers, whoever sends them (Prisma through its driver adapters, the
// hot path's prepared statements, the coordination's locks): better-sqlite3's statements run
// (run/get/all/iterate) and scripts (exec), pg's Client#query (pools go through it). Installed in the
// bench process, for Sésame run in it.
import Database from 'better-sqlite3';
import pg from 'pg';

export interface SqlCounts {
  /** Statements executed. */
  total: number;
  /** BEGIN / COMMIT / ROLLBACK (and SAVEPOINT / RELEASE). */
  transaction: number;
  /** pg_advisory_lock / unlock, LISTEN / NOTIFY: coordination between instances. */
  coordination: number;
  /** better-sqlite3 statements compiled (prepare): Prisma's adapter compiles each statement it runs. */
  prepared: number;
  /** Statements by shape (the first words, literals left as they are). */
  shapes: Map<string, number>;
}

const empty = (): SqlCounts => ({ total: 0, transaction: 0, coordination: 0, prepared: 0, shapes: new Map() });

let counts = empty();
let installed = false;

function shapeOf(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().slice(0, 90);
}

function count(sql: string | undefined): void {
  const text = (sql ?? '').trim();
  counts.total += 1;
  if (/^(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|SAVEPOINT|RELEASE|END)\b/i.test(text)) counts.transaction += 1;
  else if (/pg_advisory|^LISTEN\b|^UNLISTEN\b|^NOTIFY\b|pg_notify/i.test(text)) counts.coordination += 1;
  const shape = shapeOf(text);
  counts.shapes.set(shape, (counts.shapes.get(shape) ?? 0) + 1);
}

/** A script given to exec: its statements (split on semicolons, which is enough for counting). */
function statementsOf(script: string): string[] {
  return script.split(';').map((s) => s.trim()).filter(Boolean);
}

type Method = (this: Database.Statement, ...args: unknown[]) => unknown;

/** Patches the drivers once; counting starts at zero. */
export function installSqlCounter(): void {
  if (installed) return;
  installed = true;
  // The statements' class is the native addon's: reached through one statement.
  const probe = new Database(':memory:');
  const statementPrototype = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, Method>;
  probe.close();
  for (const name of ['run', 'get', 'all', 'iterate']) {
    const original = statementPrototype[name];
    statementPrototype[name] = function (this: Database.Statement, ...args: unknown[]) {
      count(this.source);
      return original.apply(this, args);
    };
  }
  const prototype = Database.prototype as unknown as Record<string, (this: Database.Database, ...args: unknown[]) => unknown>;
  const prepare = prototype.prepare;
  prototype.prepare = function (this: Database.Database, ...args: unknown[]) {
    counts.prepared += 1;
    return prepare.apply(this, args);
  };
  const exec = prototype.exec;
  prototype.exec = function (this: Database.Database, ...args: unknown[]) {
    for (const statement of statementsOf(String(args[0] ?? ''))) count(statement);
    return exec.apply(this, args);
  };
  const clientPrototype = pg.Client.prototype as unknown as Record<string, (this: pg.Client, ...args: unknown[]) => unknown>;
  const query = clientPrototype.query;
  clientPrototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0];
    count(typeof config === 'string' ? config : ((config as { text?: string } | undefined)?.text ?? ''));
    return query.apply(this, args);
  };
}

/** The counts since the last reset, and counting from zero again. */
export function takeSqlCounts(): SqlCounts {
  const taken = counts;
  counts = empty();
  return taken;
}
