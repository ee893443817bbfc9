// After `trunk build`: a strict Content-Security-Policy for the app, allowing
// exactly the inline bootstrap script Trunk writes (by its hash) and nothing else.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const html = readFileSync(new URL('index.html', dist), 'utf8');
const hashes = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)]
  .map(([, body]) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`);
const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
const headers = readFileSync(new URL('_headers', dist), 'utf8').trimEnd();
writeFileSync(new URL('_headers', dist), `${headers}\n  Content-Security-Policy: ${policy}\n`);
