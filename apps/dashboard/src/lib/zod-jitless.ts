import { config } from 'zod';

// Live events are read with the protocol's zod schemas. zod compiles fast parsers with
// `new Function`, which the server's Content-Security-Policy forbids, and it probes for that
// when a schema is defined; the browser reports even the caught probe as a violation. So zod
// runs without it, set here before any schema module is evaluated (main.tsx imports this first).
config({ jitless: true });
