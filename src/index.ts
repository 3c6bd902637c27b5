import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startApp } from './app';

// `npm start`: read the configuration, start Sésame, stop cleanly on SIGINT/SIGTERM.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const app = await startApp(config, logger);
  if (config.NODE_ENV !== 'production') {
    process.stdout.write(`\n  Sésame: ${app.url}   ·   mails: ${app.url}/dev/mail\n\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Sésame could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
