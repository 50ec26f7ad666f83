import { useEffect, useId, useRef, useState } from 'react';

/**
 * The text of a filter that writes to the URL: sent on 300 ms after the last keystroke, or at
 * once by `send`; a change of `value` from elsewhere (back button, a shared link) replaces it.
 */
export function useDebouncedText(value: string, onChange: (value: string) => void, trim = true) {
  const [text, setText] = useState(value);
  const lastSent = useRef(value);

  useEffect(() => {
    if (value !== lastSent.current) {
      lastSent.current = value;
      setText(value);
    }
  }, [value]);

  useEffect(() => {
    if (text === lastSent.current) return;
    const timer = setTimeout(() => {
      lastSent.current = text;
      onChange(trim ? text.trim() : text);
    }, 300);
    return () => clearTimeout(timer);
  }, [text, onChange, trim]);

  const send = () => {
    lastSent.current = text;
    onChange(trim ? text.trim() : text);
  };
  return { text, setText, send };
}

/** A labelled text filter that writes its value to the URL as the user types (debounced) or on Enter. */
export function TextFilter({
  label,
  value,
  onChange,
  placeholder,
  type = 'search',
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  type?: 'search' | 'text';
}) {
  const id = useId();
  const { text, setText, send } = useDebouncedText(value, onChange);
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        placeholder={placeholder}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            send();
          }
        }}
      />
    </div>
  );
}
