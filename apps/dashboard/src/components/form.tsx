import type { UseMutationResult } from '@tanstack/react-query';
import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { errorMessage } from '@/lib/api-client';

/** What a field hands its control: the id its label points at, the hint and error that describe it. */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  /** What is wrong with the value, shown under the control and tied to it. */
  error?: string | null;
  className?: string;
}

/** A labelled control with an optional hint and error below it; the ids that tie them together are made here. */
export function Field({
  label,
  hint,
  error,
  className = 'field',
  children,
}: FieldProps & { children: (control: ControlProps) => ReactNode }) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(describedBy && { 'aria-describedby': describedBy }), ...(error && { 'aria-invalid': true }) })}
      {hint ? (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export interface Option<V extends string = string> {
  value: V;
  label: string;
}

/** Options whose label is their value. */
export const plainOptions = <V extends string>(values: readonly V[]): Option<V>[] => values.map((value) => ({ value, label: value }));

/** A select over fixed options; `V` keeps the chosen value typed. */
export function SelectField<V extends string>({
  label,
  hint,
  className,
  value,
  options,
  onChange,
  disabled,
}: {
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
  value: V;
  options: Option<V>[];
  onChange: (value: V) => void;
  disabled?: boolean;
}) {
  return (
    <Field label={label} hint={hint} className={className}>
      {(control) => (
        <select {...control} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as V)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * A toolbar filter: a select whose first option, `all` (value ''), leaves the filter off; a value
 * not among `options` (from a shared link, say) stays a choice rather than vanishing.
 */
export function FilterSelect({
  label,
  all,
  value,
  options,
  onChange,
}: {
  label: string;
  all: string;
  value: string;
  options: readonly (string | Option)[];
  onChange: (value: string) => void;
}) {
  const choices = options.map((o) => (typeof o === 'string' ? { value: o, label: o } : o));
  if (value && !choices.some((o) => o.value === value)) choices.push({ value, label: value });
  return (
    <SelectField
      className="field field-inline"
      label={label}
      value={value}
      options={[{ value: '', label: all }, ...choices]}
      onChange={onChange}
    />
  );
}

/** A text input (or number, url, email...) with its label; `onChange` gets the text. */
export function TextField({
  label,
  hint,
  error,
  className,
  inputClassName,
  onChange,
  ...input
}: FieldProps & { inputClassName?: string; value: string | number; onChange: (value: string) => void } & Omit<
    InputHTMLAttributes<HTMLInputElement>,
    'id' | 'value' | 'onChange' | 'className'
  >) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {(control) => <input {...input} {...control} className={inputClassName} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

/** A checkbox with its label after it; `onChange` gets whether it is ticked. */
export function CheckField({ label, checked, onChange }: { label: ReactNode; checked: boolean; onChange: (checked: boolean) => void }) {
  const id = useId();
  return (
    <div className="field field-check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** A multi-line text with its label; `onChange` gets the text. */
export function TextAreaField({
  label,
  hint,
  onChange,
  ...textarea
}: { label: ReactNode; hint?: ReactNode; value: string; onChange: (value: string) => void } & Omit<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  'id' | 'value' | 'onChange'
>) {
  return (
    <Field label={label} hint={hint}>
      {(control) => <textarea {...control} {...textarea} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

/** The submit button: disabled and relabelled while the request runs. */
export function SubmitButton({ pending, pendingLabel, children }: { pending: boolean; pendingLabel: string; children: ReactNode }) {
  return (
    <button type="submit" className="btn btn-primary" disabled={pending}>
      {pending ? pendingLabel : children}
    </button>
  );
}

/** Submit and Cancel at the foot of a form that opens in place. */
export function FormActions({
  pending,
  pendingLabel,
  children,
  onCancel,
  lockCancel = false,
}: {
  pending: boolean;
  pendingLabel: string;
  children: ReactNode;
  onCancel: () => void;
  lockCancel?: boolean;
}) {
  return (
    <div className="form-actions">
      <SubmitButton pending={pending} pendingLabel={pendingLabel}>
        {children}
      </SubmitButton>
      <button type="button" className="btn" onClick={onCancel} disabled={lockCancel && pending}>
        Cancel
      </button>
    </div>
  );
}

/**
 * A form that creates something: its fields, then the Create button (relabelled while the request
 * runs) on a row of its own or, `inline`, beside them; the server's refusal shows under it.
 */
export function CreateForm({
  label,
  inline = false,
  mutation,
  submitLabel,
  onSubmit,
  children,
}: {
  label: string;
  inline?: boolean;
  mutation: Pick<UseMutationResult<unknown, unknown, never, unknown>, 'isPending' | 'isError' | 'error'>;
  submitLabel: ReactNode;
  onSubmit: () => void;
  children: ReactNode;
}) {
  const button = (
    <SubmitButton pending={mutation.isPending} pendingLabel="Creating…">
      {submitLabel}
    </SubmitButton>
  );
  return (
    <>
      <form
        className={inline ? 'inline-form' : undefined}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
        aria-label={label}
      >
        {children}
        {inline ? button : <div className="form-row">{button}</div>}
      </form>
      <MutationError mutation={mutation} />
    </>
  );
}

/** The server's refusal of a form, read out when it appears. */
export function MutationError({
  mutation,
  className = 'form-error',
}: {
  mutation: Pick<UseMutationResult<unknown, unknown, never, unknown>, 'isError' | 'error'>;
  className?: string;
}) {
  if (!mutation.isError) return null;
  return (
    <p className={className} role="alert">
      {errorMessage(mutation.error)}
    </p>
  );
}

/** A secret the server shows once (a key, a token): the words around it and its copy blocks. */
export function SecretReveal({ children }: { children: ReactNode }) {
  return (
    <div className="secret" role="status">
      {children}
    </div>
  );
}
