import { useEffect, useId, useRef, useState } from 'react';

/**
 * A text filter that writes its value to the URL as the user types (debounced 300 ms) or on
 * Enter; a change of the URL from elsewhere (back button, a shared link) shows in the field.
 */
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
      onChange(text.trim());
    }, 300);
    return () => clearTimeout(timer);
  }, [text, onChange]);

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
            lastSent.current = text;
            onChange(text.trim());
          }
        }}
      />
    </div>
  );
}
