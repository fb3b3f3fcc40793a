// hostile16.js MODE - node (libuv: sigaction handlers + a self-pipe, a SIGCHLD handler for child
// processes, worker threads): signals handled, at their default, from children. review/run-hostile16.sh
const { spawn, execFileSync } = require('child_process');
const mode = process.argv[2];
const out = (...a) => process.stdout.write(a.join(' ') + '\n');
if (mode === 'handled') {
  let n = 0;
  for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR2']) process.on(s, () => { out('got', s); if (++n === 4) { out('done'); process.exit(3); } });
  for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR2']) process.kill(process.pid, s);
  setTimeout(() => out('timeout'), 5000);
} else if (mode === 'default') {
  setTimeout(() => process.kill(process.pid, 'SIGTERM'), 100);
  setTimeout(() => out('not reached'), 5000);
} else if (mode === 'children') {
  let left = 3, codes = [];
  for (let i = 0; i < 3; i++) {
    const c = spawn('sh', ['-c', i === 2 ? 'kill -TERM $$' : `exit ${i + 4}`]);
    c.on('exit', (code, sig) => { codes.push(`${code}/${sig}`); if (--left === 0) { out(codes.sort().join(' ')); out(execFileSync('sh', ['-c', 'echo sync']).toString().trim()); } });
  }
} else if (mode === 'worker') {
  const { Worker } = require('worker_threads');
  const w = new Worker('const { parentPort } = require("worker_threads"); parentPort.postMessage(6 * 7);', { eval: true });
  w.on('message', (m) => { out('worker says', m); w.terminate(); });
  w.on('exit', () => { out('worker exit'); process.kill(process.pid, 'SIGINT'); });
  process.on('SIGINT', () => { out('sigint'); process.exitCode = 5; });
} else if (mode === 'uncaught') {
  setTimeout(() => { throw new Error('boom'); }, 50);
} else if (mode === 'abort') {
  process.abort();
}
