import pino from 'pino';

export type Logger = pino.Logger;

// JSON, one line per event. Only ids and technical facts are logged: never message text,
// card values, e-mail addresses or secrets. The redact list is a safety net, not the policy.
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'sesame' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'secret', '*.secret', 'code', '*.code'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
