// Run every browser and contract test with node's test runner and close with the line
// "N passed, N failed". Extra arguments go to node --test (e.g. --test-name-pattern=plan).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join(here, f));
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=tap', ...process.argv.slice(2), ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
let pass = 0, fail = 0, tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('close', (code) => {
  pass = Number(/^# pass (\d+)/m.exec(tail)?.[1] ?? 0);
  fail = Number(/^# fail (\d+)/m.exec(tail)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(tail)?.[1] ?? 0);
  if (code !== 0 && fail === 0) fail = 1;
  console.log(`${pass} passed, ${fail} failed`);
  process.exit(fail > 0 || pass === 0 ? 1 : 0);
});
