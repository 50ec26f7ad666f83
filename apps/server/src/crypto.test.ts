import { AGENT_CREDENTIAL } from '@plumbline/protocol/limits';
import { describe, expect, it } from 'vitest';
import { newSecret, SecretKind } from './crypto';

describe('secrets the server issues', () => {
  // An agent refuses a welcome whose credential is outside AGENT_CREDENTIAL: every credential
  // this server hands out must be inside it, or enrollment would never complete.
  it('agent credentials are always in the alphabet and length agents accept', () => {
    for (let i = 0; i < 2000; i++) expect(newSecret(SecretKind.agent).secret).toMatch(AGENT_CREDENTIAL);
  });
});
