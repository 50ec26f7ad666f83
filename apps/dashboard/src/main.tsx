import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { config as zodConfig } from 'zod';
import { App } from './app/app';
import './styles.css';

// Live events are read with zod. Its fast path compiles code with `new Function`, which the
// server's Content-Security-Policy forbids; even the probe for it is reported as a violation.
zodConfig({ jitless: true });

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
