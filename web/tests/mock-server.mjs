// Mock careforce server: the JSON API of docs/api.md (from tests/mock-api.mjs) plus the
// built dashboard from web/dist, with index.html for unknown non-API paths, as the C++
// server does. Usage: node tests/mock-server.mjs [--port 8080] [--host 127.0.0.1]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handleApi, resetMock } from './mock-api.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

async function serveStatic(pathname, res) {
  const safe = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(dist, safe);
  if (!file.startsWith(dist)) file = join(dist, 'index.html');
  try {
    const st = await stat(file);
    if (st.isDirectory()) file = join(dist, 'index.html');
  } catch {
    file = join(dist, 'index.html');
  }
  try {
    const data = await readFile(file);
    res.writeHead(200, { 'Content-Type': types[extname(file)] || 'application/octet-stream' });
    res.end(data);
  } catch {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end('web/dist is missing: run npm run build');
  }
}

/** Start the mock on host:port (port 0 = any free port); resolves to {server, url}. */
export function startMockServer({ host = '127.0.0.1', port = 0 } = {}) {
  resetMock();
  // Warm the projection code up (JIT) so the first scenario a test runs is not the slowest.
  const warm = JSON.stringify({ runs: 10, interventions: [{ type: 'international_recruitment', size: 10 }], by: 'staff_group' });
  for (let i = 0; i < 3; i++) handleApi('POST', new URL('http://mock/api/projection/run'), warm);
  const server = createServer((req, res) => {
    const url = new URL(req.url, `http://${req.headers.host || host}`);
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const { status, body } = handleApi(req.method, url, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(JSON.stringify(body));
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'Content-Type': 'text/plain' });
      res.end('method not allowed');
      return;
    }
    serveStatic(url.pathname, res);
  });
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const addr = server.address();
      resolve({ server, url: `http://${host}:${addr.port}` });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const { url } = await startMockServer({ host: arg('host', '127.0.0.1'), port: Number(arg('port', '8080')) });
  console.log(`mock careforce API at ${url}/api/ (dashboard at ${url}/)`);
}
