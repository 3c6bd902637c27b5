// npm run playground — Microsoft 365 Agents Playground (a Teams-like client on this machine)
// against the local Sésame: try the Teams experience without a tenant. Start Sésame first
// (npm start), then open the address this prints.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

async function main(): Promise<void> {
  const config = loadConfig();
  const bot = `http://127.0.0.1:${config.PORT}`;
  const alive = await fetch(`${bot}/healthz`).then((r) => r.ok, () => false);
  if (!alive) {
    process.stderr.write(`playground: Sésame does not answer at ${bot}. Start it first with: npm start\n`);
    process.exit(2);
  }
  const port = process.env.PLAYGROUND_PORT ?? '56150';
  const cli = path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
  process.stdout.write(`Agents Playground (Teams) for ${bot}/api/messages — open http://localhost:${port}\n`);
  const child = spawn(process.execPath, [cli, 'start', '-e', `${bot}/api/messages`, '-c', 'msteams', '-p', port, '--disable-telemetry'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `playground: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
