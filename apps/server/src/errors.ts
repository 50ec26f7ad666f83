/** Every error code the server answers with, in one place. */
export const ErrorCode = {
  badRequest: 'PLUMBLINE_ERR_BAD_REQUEST',
  unauthenticated: 'PLUMBLINE_ERR_UNAUTHENTICATED',
  badCredentials: 'PLUMBLINE_ERR_BAD_CREDENTIALS',
  forbidden: 'PLUMBLINE_ERR_FORBIDDEN',
  csrf: 'PLUMBLINE_ERR_CSRF',
  /** A cookie-authenticated WebSocket upgrade whose Origin is not this server's. */
  crossOrigin: 'PLUMBLINE_ERR_CROSS_ORIGIN',
  throttled: 'PLUMBLINE_ERR_THROTTLED',
  notFound: 'PLUMBLINE_ERR_NOT_FOUND',
  conflict: 'PLUMBLINE_ERR_CONFLICT',
  setupDone: 'PLUMBLINE_ERR_SETUP_DONE',
  payloadTooLarge: 'PLUMBLINE_ERR_PAYLOAD_TOO_LARGE',
  notReady: 'PLUMBLINE_ERR_NOT_READY',
  internal: 'PLUMBLINE_ERR_INTERNAL',
  config: 'PLUMBLINE_ERR_CONFIG',
  dbUnavailable: 'PLUMBLINE_ERR_DB_UNAVAILABLE',
  dbLocked: 'PLUMBLINE_ERR_DB_LOCKED',
  dbMigration: 'PLUMBLINE_ERR_DB_MIGRATION',
  agentMalformed: 'PLUMBLINE_ERR_AGENT_MALFORMED',
  agentProtocol: 'PLUMBLINE_ERR_AGENT_PROTOCOL',
  agentEnrollment: 'PLUMBLINE_ERR_AGENT_ENROLLMENT',
  /** The process holds as many agent connections as it may (PLUMBLINE_MAX_AGENTS). */
  agentCapacity: 'PLUMBLINE_ERR_AGENT_CAPACITY',
  /** The host (or its group's golden host) has no approved baseline. */
  noBaseline: 'PLUMBLINE_ERR_NO_BASELINE',
  /** A webhook or report destination URL that is not http(s), carries credentials or names a refused address. */
  badUrl: 'PLUMBLINE_ERR_BAD_URL',
  /** A report schedule's directory that does not exist or cannot be written. */
  badDestination: 'PLUMBLINE_ERR_BAD_DESTINATION',
  rulesInvalid: 'PLUMBLINE_ERR_RULES_INVALID',
  keyExpired: 'PLUMBLINE_ERR_KEY_EXPIRED',
  lastAdmin: 'PLUMBLINE_ERR_LAST_ADMIN',
  /** Another host still reports this host's machine id: the flag cannot be cleared yet. */
  identityConflict: 'PLUMBLINE_ERR_IDENTITY_CONFLICT',
  /** A password change whose current password is wrong (not 401: the session itself is fine). */
  wrongPassword: 'PLUMBLINE_ERR_WRONG_PASSWORD',
  /** The user signed in with a password an admin reset: changing it is all they may do. */
  passwordChangeRequired: 'PLUMBLINE_ERR_PASSWORD_CHANGE_REQUIRED',
  /** A report as of a time before the history retention's checkpoint. */
  beforeRetention: 'PLUMBLINE_ERR_BEFORE_RETENTION',
  /** An upload that is not an OpenSCAP XCCDF 1.2 or ARF result of SSG content. */
  notOscapResult: 'PLUMBLINE_ERR_NOT_OSCAP_RESULT',
  /** An advisory feed cut short, malformed, or of no kind Plumbline reads (the codes of @plumbline/advisories). */
  feedTruncated: 'PLUMBLINE_ERR_FEED_TRUNCATED',
  feedMalformed: 'PLUMBLINE_ERR_FEED_MALFORMED',
  feedUnknown: 'PLUMBLINE_ERR_FEED_UNKNOWN',
  /** A waiver's `cve` that is not a CVE id (CVE-2024-6387) or a tracker TEMP- id. */
  badCveId: 'PLUMBLINE_ERR_BAD_CVE_ID',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const statusOf: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.badRequest]: 400,
  [ErrorCode.badUrl]: 400,
  [ErrorCode.badDestination]: 400,
  [ErrorCode.unauthenticated]: 401,
  [ErrorCode.badCredentials]: 401,
  [ErrorCode.keyExpired]: 401,
  [ErrorCode.rulesInvalid]: 400,
  [ErrorCode.beforeRetention]: 400,
  [ErrorCode.notOscapResult]: 400,
  [ErrorCode.feedTruncated]: 400,
  [ErrorCode.feedMalformed]: 400,
  [ErrorCode.feedUnknown]: 400,
  [ErrorCode.badCveId]: 400,
  [ErrorCode.lastAdmin]: 409,
  [ErrorCode.identityConflict]: 409,
  [ErrorCode.wrongPassword]: 400,
  [ErrorCode.passwordChangeRequired]: 403,
  [ErrorCode.forbidden]: 403,
  [ErrorCode.csrf]: 403,
  [ErrorCode.crossOrigin]: 403,
  [ErrorCode.notFound]: 404,
  [ErrorCode.noBaseline]: 404,
  [ErrorCode.conflict]: 409,
  [ErrorCode.setupDone]: 409,
  [ErrorCode.payloadTooLarge]: 413,
  [ErrorCode.throttled]: 429,
  [ErrorCode.notReady]: 503,
  [ErrorCode.dbUnavailable]: 503,
  [ErrorCode.agentCapacity]: 503,
};

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.statusCode = statusOf[code] ?? 500;
  }
}

/**
 * Whether a database error is a unique constraint refusing a second row. A check-then-insert
 * can pass in two requests at once; the constraint is what holds, and this turns its refusal
 * into the 409 the check would have given.
 */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}

/** Whether a database error is an update or delete finding no row: another request removed it first. */
export function isRecordGone(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2025';
}

/** For `.catch(...)` on a create: a unique violation becomes a 409 with this message, anything else is rethrown. */
export function conflictOnUnique(message: string, code: ErrorCode = ErrorCode.conflict): (err: unknown) => never {
  return (err) => {
    if (isUniqueViolation(err)) throw new AppError(code, message);
    throw err;
  };
}
