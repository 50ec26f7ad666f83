import fastifyHelmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * Browser protections on every response, pages and API alike (an API answer opened in a tab
 * is a page too). The dashboard is a Vite build with no inline script or style and loads
 * nothing from elsewhere, so the policy allows only this origin: the live feed's ws:/wss: to
 * the same host is 'self' in CSP Level 3. Nothing may frame the dashboard (clickjacking).
 * HSTS and upgrade-insecure-requests only when this server speaks TLS: over plain HTTP the
 * upgrade would break every asset load. Behind a TLS proxy, the proxy sets HSTS.
 */
export default fp<{ tls: boolean }>(
  async (app, { tls }) => {
    await app.register(fastifyHelmet, {
      global: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          baseUri: ["'none'"],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          imgSrc: ["'self'"],
          objectSrc: ["'none'"],
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          styleSrc: ["'self'"],
          ...(tls && { upgradeInsecureRequests: [] }),
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    });
  },
  { name: 'security-headers' },
);
