/** What global setup hands to the tests (through environment variables). */
export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'e2e-correct-horse-battery';
export const HOSTNAME = 'e2e-host';

export interface StackInfo {
  baseURL: string;
  tmpDir: string;
  hostRoot: string;
  lateToken: string;
  logDir: string;
}

const KEYS = {
  baseURL: 'PLUMBLINE_E2E_BASE_URL',
  tmpDir: 'PLUMBLINE_E2E_TMP',
  hostRoot: 'PLUMBLINE_E2E_HOST_ROOT',
  lateToken: 'PLUMBLINE_E2E_LATE_TOKEN',
  logDir: 'PLUMBLINE_E2E_LOG_DIR',
} as const satisfies Record<keyof StackInfo, string>;

export function publishStack(info: StackInfo): void {
  for (const [key, env] of Object.entries(KEYS)) process.env[env] = info[key as keyof StackInfo];
}

export function readStack(): StackInfo {
  const out = {} as StackInfo;
  for (const [key, env] of Object.entries(KEYS)) {
    const value = process.env[env];
    if (!value) throw new Error(`${env} is not set: did the global setup run?`);
    out[key as keyof StackInfo] = value;
  }
  return out;
}
