import { useSearchParams } from 'react-router';

/** Where to go after signing in; only same-origin paths, never `//evil.example`. */
export function useSafeNext(): string {
  const [params] = useSearchParams();
  const next = params.get('next');
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
