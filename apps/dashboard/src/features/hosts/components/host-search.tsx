import { useId } from 'react';
import { useDebouncedText } from '@/components/text-filter';

/** A search box that writes `q` to the URL as the user types (debounced). */
export function HostSearch({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const id = useId();
  const { text, setText, send } = useDebouncedText(value, onChange, false);
  return (
    <form
      role="search"
      className="search"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label htmlFor={id}>Search hosts</label>
      <input id={id} type="search" placeholder="Hostname, OS, kernel…" value={text} onChange={(e) => setText(e.target.value)} />
    </form>
  );
}
