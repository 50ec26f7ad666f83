import { describe, expect, it } from 'vitest';
import { runCommand } from './exec';

describe('runCommand', () => {
  it('resolves with stdout and a zero code, in the C locale', async () => {
    expect(await runCommand('sh', ['-c', 'echo "$LC_ALL"'])).toEqual({ code: 0, stdout: 'C\n', stderr: '' });
  });

  it('treats a non-zero exit as an answer', async () => {
    expect(await runCommand('sh', ['-c', 'echo no >&2; exit 3'])).toEqual({ code: 3, stdout: '', stderr: 'no\n' });
  });

  it('rejects a missing command with PLUMBLINE_ERR_COMMAND_NOT_FOUND', async () => {
    await expect(runCommand('/nonexistent/plumbline-tool', [])).rejects.toMatchObject({ code: 'PLUMBLINE_ERR_COMMAND_NOT_FOUND' });
  });

  it('kills a command that runs past its timeout', async () => {
    await expect(runCommand('sleep', ['5'], { timeoutMs: 100 })).rejects.toMatchObject({ code: 'PLUMBLINE_ERR_COMMAND_TIMEOUT' });
  });
});
