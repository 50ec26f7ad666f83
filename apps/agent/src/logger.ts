import pino from 'pino';

/** The agent's logger: JSON lines on stderr, secrets redacted. */
export const logger = (level = process.env.PLUMBLINE_LOG_LEVEL ?? 'info') =>
  pino({ level, redact: { paths: ['token', 'credential', '*.token', '*.credential'], censor: '[redacted]' } }, pino.destination(2));
