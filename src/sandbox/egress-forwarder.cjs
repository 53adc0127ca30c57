// Runs inside a sandbox whose network is an allowlist, in front of the real server:
//   node egress-forwarder.cjs <proxy socket> -- <command> [args...]
// The sandbox has its own network namespace, so the only way out is the gateway's egress proxy on
// a Unix socket bound into it. Proxy-aware clients want a TCP address, so this listens on
// 127.0.0.1 (an ephemeral port of the sandbox's own loopback), relays every connection byte for
// byte to the socket (the gateway enforces the rules; nothing here is trusted), and runs the
// server as its child with HTTP_PROXY and friends pointing at it.
//
// Plain CommonJS with only Node built-ins: it runs with the gateway's own node binary, with
// nothing else of the gateway mounted. CommonJS because the ESM loader reads files through libuv's
// thread pool, which then costs 4 more threads for good, each a task against the pids limit.
// The server's stdio is inherited as is (fds 0-2 belong to the JSON-RPC pipe), so this never
// writes to stdout, and reports on fd 2 with writeSync, which leaves the descriptor's blocking
// mode alone for the child that shares it.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose (see above) */
const { spawn } = require('node:child_process');
const { writeSync } = require('node:fs');
const { connect, createServer } = require('node:net');

const [socketPath, separator, command, ...args] = process.argv.slice(2);
if (!socketPath || separator !== '--' || !command) fail(125, 'usage: egress-forwarder.cjs <socket> -- <command> [args...]');

/** Variables the gateway renamed so that they shape the server, not this process (see egress-plan.ts). */
const HELD_PREFIX = 'MCP_OUTLET_HELD_';
/** Signals passed on to the server; SIGUSR1 is left alone (Node reserves it for its inspector). */
const FORWARDED = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'];

const relay = createServer({ allowHalfOpen: true }, (client) => {
  const upstream = connect({ path: socketPath, allowHalfOpen: true });
  const cut = () => {
    client.destroy();
    upstream.destroy();
  };
  // Ends travel through the pipes (half-close intact); a reset on either side cuts both.
  client.on('error', cut);
  upstream.on('error', cut);
  client.pipe(upstream);
  upstream.pipe(client);
});
relay.on('error', (err) => fail(125, `cannot listen on the sandbox loopback: ${err.message}`));
relay.listen(0, '127.0.0.1', start);

function start() {
  const proxy = `http://127.0.0.1:${relay.address().port}`;
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith(HELD_PREFIX)) env[name.slice(HELD_PREFIX.length)] = value;
    else if (env[name] === undefined) env[name] = value;
  }
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy']) env[name] = proxy;
  // Every destination goes through the proxy, even ones a client would skip by default.
  env.NO_PROXY = '';
  env.no_proxy = '';

  const child = spawn(command, args, { stdio: 'inherit', env });
  for (const signal of FORWARDED) process.on(signal, () => child.kill(signal));
  child.once('error', (err) => fail(err.code === 'ENOENT' ? 127 : 126, `cannot start ${command}: ${err.message}`));
  child.once('exit', (code, signal) => {
    relay.close();
    if (signal === null) process.exit(code ?? 1);
    // Die of the same signal, so whoever waits on the sandbox sees how the server ended.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    // A signal whose default is not to terminate leaves us here.
    process.exit(128);
  });
}

function fail(code, message) {
  try {
    writeSync(2, `egress forwarder: ${message}\n`);
  } catch {
    // stderr is gone: the exit code still says it
  }
  process.exit(code);
}
