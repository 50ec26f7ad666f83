import { useState } from 'react';
import { TextAreaField, TextField } from '@/components/form';
import { errorMessage } from '@/lib/api-client';
import { dateInputValue, endOfLocalDay } from '@/lib/format';

/** What every waiver asks for: a justification and an expiry date (end of that day, in the viewer's time zone). */
export function useWaiverTerms() {
  const [justification, setJustification] = useState('');
  const [expires, setExpires] = useState(() => dateInputValue(30));
  const [problem, setProblem] = useState<string | null>(null);
  /** The terms to send, or null (and the problem shown) when they are not acceptable yet. */
  const check = (): { justification: string; expiresAt: string } | null => {
    const expiresAt = endOfLocalDay(expires);
    const refusal =
      justification.trim().length < 10
        ? 'Say why, in at least 10 characters.'
        : !expiresAt || Date.parse(expiresAt) <= Date.now()
          ? 'Choose an expiry date in the future.'
          : null;
    setProblem(refusal);
    return refusal || !expiresAt ? null : { justification: justification.trim(), expiresAt };
  };
  return { justification, setJustification, expires, setExpires, problem, check };
}

type WaiverTerms = ReturnType<typeof useWaiverTerms>;

/** The justification of a waiver. */
export function JustificationField({ terms }: { terms: WaiverTerms }) {
  return (
    <TextAreaField
      label="Justification"
      hint="Why this risk is accepted, and what compensates for it (at least 10 characters)."
      value={terms.justification}
      onChange={terms.setJustification}
      rows={3}
      required
      minLength={10}
    />
  );
}

/** The last day a waiver applies. */
export function ExpiresField({ terms }: { terms: WaiverTerms }) {
  return <TextField label="Expires on" type="date" value={terms.expires} min={dateInputValue(1)} onChange={terms.setExpires} required />;
}

/** Why the waiver was not created: the terms' problem, else the server's refusal. */
export function WaiverProblem({ terms, mutation }: { terms: WaiverTerms; mutation: { isError: boolean; error: unknown } }) {
  const error = terms.problem ?? (mutation.isError ? errorMessage(mutation.error) : null);
  return error ? (
    <p className="form-error" role="alert">
      {error}
    </p>
  ) : null;
}
