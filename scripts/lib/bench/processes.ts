// The bench's child processes (the floor bot, Sésame instances) and everything to undo — every child
// stopped, every temporary directory and database removed — on success, failure, SIGINT or SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { serverPid } from './procfs';

type Task = { name: string; run: () => Promise<void> | void };

/** What to undo, undone in reverse order, once; each failure printed, none stopping the others. */
export class Cleanup {
  private tasks: Task[] = [];
  private running: Promise<void> | undefined;

  add(name: string, run: () => Promise<void> | void): () => void {
    const task = { name, run };
    this.tasks.push(task);
    return () => {
      this.tasks = this.tasks.filter((t) => t !== task);
    };
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      while (this.tasks.length) {
        const task = this.tasks.pop()!;
        try {
          await task.run();
        } catch (error) {
          process.stderr.write(`bench: cleanup of ${task.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      }
      this.running = undefined;
    })();
    return this.running;
  }

  /** Set once SIGINT or SIGTERM was received: what fails after it is the stop's doing. */
  interrupted: NodeJS.Signals | undefined;

  /**
   * SIGINT / SIGTERM: undo everything, then exit with the signal's code. The signal again (npm and tsx
   * forward the terminal's Ctrl-C to this process, so it often comes twice) does not cut the cleanup short.
   */
  onSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (this.interrupted) return;
        this.interrupted = signal;
        process.stderr.write(`\nbench: ${signal}: stopping the servers and removing temporary files…\n`);
        void this.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
      });
    }
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One GET, no keep-alive, never throws: the status, or 0 when nothing answered. */
function probe(url: string, timeoutMs = 2000): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

const MAX_OUTPUT = 64 * 1024;

export interface ServerOptions {
  name: string;
  /** A shell command (npm start's), or a program and its arguments. */
  command: string | { file: string; args: string[] };
  cwd: string;
  env: NodeJS.ProcessEnv;
  port: number;
  /** GET path answered 200 once the server is ready. */
  readyPath: string;
  timeoutMs?: number;
}

/** A server in a child process: started, timed to its first 200, stopped. */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private output = '';
  /** Milliseconds from spawn to the first 200 of the ready path. */
  startMs = Number.NaN;
  /** The Node.js process that serves (the one measured). */
  pid = 0;
  /** performance.now() when it was spawned. */
  spawnedAt = Number.NaN;

  constructor(
    readonly options: ServerOptions,
    private readonly cleanup: Cleanup,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get name(): string {
    return this.options.name;
  }

  get alive(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  tail(chars = 4000): string {
    return this.output.slice(-chars);
  }

  async start(): Promise<this> {
    const { command, cwd, env, readyPath, timeoutMs = 180_000 } = this.options;
    const t0 = performance.now();
    this.spawnedAt = t0;
    // A simple command is exec'd by the shell: the child's pid is the server's own.
    const child =
      typeof command === 'string'
        ? spawn('/bin/sh', ['-c', /[;&|<>()`$\n]/.test(command) ? command : `exec ${command}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn(command.file, command.args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const record = (chunk: string) => {
      this.output = (this.output + chunk).slice(-MAX_OUTPUT);
    };
    child.stdout!.setEncoding('utf8').on('data', record);
    child.stderr!.setEncoding('utf8').on('data', record);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const forget = this.cleanup.add(`${this.name} (pid ${child.pid})`, () => this.stop());
    void this.exited.then(forget);
    const url = `${this.url}${readyPath}`;
    for (;;) {
      if (!this.alive) throw new Error(`${this.name} exited while starting (code ${child.exitCode}, signal ${child.signalCode}):\n${this.tail()}`);
      if (performance.now() - t0 > timeoutMs) {
        await this.stop();
        throw new Error(`${this.name} not ready after ${timeoutMs / 1000} s:\n${this.tail()}`);
      }
      if ((await probe(url)) === 200) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    this.startMs = performance.now() - t0;
    this.pid = serverPid(child.pid!);
    return this;
  }

  /** SIGTERM (a clean stop), SIGKILL after `graceMs`; resolved once the process is gone. */
  async stop(graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    // The server itself (a shell that did not exec waits for it, and exits after it).
    const signal = (pid: number | undefined, name: NodeJS.Signals) => {
      try {
        if (pid) process.kill(pid, name);
      } catch {
        // already gone
      }
    };
    signal(this.pid || child.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      signal(this.pid, 'SIGKILL');
      signal(child.pid, 'SIGKILL');
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
