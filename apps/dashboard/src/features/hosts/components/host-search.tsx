import { useEffect, useId, useRef, useState } from 'react';

/** A search box that writes `q` to the URL as the user types (debounced). */
export function HostSearch({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const id = useId();
  const [text, setText] = useState(value);
  const lastSent = useRef(value);

  // Follow the URL when it changes from elsewhere (back button, a shared link).
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
      onChange(text);
    }, 300);
    return () => clearTimeout(timer);
  }, [text, onChange]);

  return (
    <form
      role="search"
      className="search"
      onSubmit={(e) => {
        e.preventDefault();
        lastSent.current = text;
        onChange(text);
      }}
    >
      <label htmlFor={id}>Search hosts</label>
      <input id={id} type="search" placeholder="Hostname, OS, kernel…" value={text} onChange={(e) => setText(e.target.value)} />
    </form>
  );
}
