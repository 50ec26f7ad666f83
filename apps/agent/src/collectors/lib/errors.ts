/**
 * Error codes a collector may report for its fact. They are part of the facts contract
 * (docs/facts.md): rules and dashboards distinguish "could not read" from "not compliant".
 */
export const COLLECTOR_ERROR_CODES = [
  'PLUMBLINE_ERR_SOURCE_MISSING',
  'PLUMBLINE_ERR_PERMISSION_DENIED',
  'PLUMBLINE_ERR_PARSE',
  'PLUMBLINE_ERR_SYMLINK_LOOP',
  'PLUMBLINE_ERR_COMMAND_TIMEOUT',
  'PLUMBLINE_ERR_COMMAND_NOT_FOUND',
  'PLUMBLINE_ERR_COMMAND_FAILED',
  'PLUMBLINE_ERR_COMMAND_OUTPUT_TOO_LARGE',
  'PLUMBLINE_ERR_COLLECTOR_TIMEOUT',
  'PLUMBLINE_ERR_SCHEMA',
  'PLUMBLINE_ERR_COLLECTOR',
] as const;
export type CollectorErrorCode = (typeof COLLECTOR_ERROR_CODES)[number];

export class CollectorError extends Error {
  override readonly name = 'CollectorError';
  constructor(
    readonly code: CollectorErrorCode,
    message: string,
    /** The path as seen on the host being described (not the agent's --root path). */
    readonly path?: string,
  ) {
    super(message);
  }
}

/** Maps a Node fs error to our codes so a missing file and a denied one stay distinct. */
export function fsError(err: unknown, hostPath: string): CollectorError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new CollectorError('PLUMBLINE_ERR_SOURCE_MISSING', `${hostPath} does not exist`, hostPath);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new CollectorError('PLUMBLINE_ERR_PERMISSION_DENIED', `${hostPath} is not readable`, hostPath);
  }
  if (err instanceof CollectorError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CollectorError('PLUMBLINE_ERR_COLLECTOR', `${hostPath}: ${message}`, hostPath);
}
