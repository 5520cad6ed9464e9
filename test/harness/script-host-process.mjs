// Runs one command-line script many times in this one Node process, for tests: each request (a line of JSON,
// `{"args": [...]}`, on standard input) runs the script afresh (imported again under a new URL) with those
// arguments, and is answered with a line of JSON, `{"code", "stdout", "stderr"}`: its exit code and what it
// printed with console.log and console.error. The script's dependencies are loaded once, not once per run.
//
// A run ends at the script's first console.log or console.error: the script this serves
// (scripts/actions-reference.mjs) prints one line, or one block, as the last thing it does, and sets its exit code
// before anything else can run.
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

const [script] = process.argv.slice(2);
if (!script) throw new Error('usage: node script-host-process.mjs <script>');
let runs = 0;

for await (const line of createInterface({ input: process.stdin })) {
  const { args } = JSON.parse(line);
  process.stdout.write(`${JSON.stringify(await runOnce(args))}\n`);
}

/** Runs the script once with `args` as its command-line arguments. */
async function runOnce(args) {
  runs += 1;
  const saved = { argv: process.argv, log: console.log, error: console.error };
  const printed = { stdout: '', stderr: '' };
  const finished = new Promise((resolve) => {
    console.log = (...parts) => {
      printed.stdout += `${format(...parts)}\n`;
      resolve();
    };
    console.error = (...parts) => {
      printed.stderr += `${format(...parts)}\n`;
      resolve();
    };
  });
  process.argv = [saved.argv[0], script, ...args];
  process.exitCode = undefined;
  try {
    await import(`${pathToFileURL(script).href}?run=${runs}`);
    await finished;
  } finally {
    process.argv = saved.argv;
    console.log = saved.log;
    console.error = saved.error;
  }
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { code, ...printed };
}
