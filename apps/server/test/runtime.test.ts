import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The heap and allocator settings the server is measured with (pnpm bench:fleet reads
// apps/server/runtime.json) must be the ones it is shipped with, or the figures lie.
const repo = path.join(__dirname, '..', '..', '..');
const runtime = JSON.parse(readFileSync(path.join(repo, 'apps/server/runtime.json'), 'utf8')) as {
  nodeOptions: string;
  env: Record<string, string>;
};

describe('the server runtime settings', () => {
  it('are what the container image runs with', () => {
    const dockerfile = readFileSync(path.join(repo, 'apps/server/Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`NODE_OPTIONS="${runtime.nodeOptions}"`);
    for (const [k, v] of Object.entries(runtime.env)) expect(dockerfile).toMatch(new RegExp(`\\b${k}=${v}\\b`));
  });

  it('are what `pnpm start` runs with', () => {
    const start = (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
    expect(start).toContain(`node ${runtime.nodeOptions} apps/server/dist/cli.js serve`);
    for (const [k, v] of Object.entries(runtime.env)) expect(start).toContain(`${k}=${v} `);
  });
});
