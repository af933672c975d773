import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { execute, openSession, texts } from '../support/cells.js';
import { sandboxPids } from '../support/containment.js';
import { HOST_ENTRY, RawHost } from '../support/rawHost.js';

/** isolated-vm's native addon in a process's memory map, prebuilt or built here. */
const ADDON = /isolated[-_]vm\S*\.node$/m;

function runHost(args: string[]) {
  return spawnSync(process.execPath, [HOST_ENTRY, ...args], { encoding: 'utf8', input: '', timeout: 10_000 });
}

describe('host command line', () => {
  it('prints the version and exits 0', () => {
    const result = runHost(['--version']);
    expect(result.status).to.equal(0);
    expect(result.stdout).to.match(/^codemode-host \d+\.\d+\.\d+\n$/);
  });

  it('prints help naming every limit flag and exits 0', () => {
    const result = runHost(['--help']);
    expect(result.status).to.equal(0);
    for (const flag of [
      '--max-message-bytes', '--max-in-flight-requests', '--max-sessions', '--max-active-cells', '--max-pending-delegate-calls',
      '--max-yield-time-ms', '--heap-limit-mb', '--cpu-time-limit-ms', '--wall-time-limit-ms', '--max-output-bytes',
      '--max-pending-tool-calls', '--max-stored-bytes', '--log-level', '--version',
    ]) {
      expect(result.stdout, flag).to.contain(flag);
    }
  });

  const bad: Array<[string[], RegExp]> = [
    [['--bogus'], /unknown option "--bogus"/],
    [['--max-sessions'], /--max-sessions needs a value/],
    [['--max-sessions', 'many'], /--max-sessions takes an integer/],
    [['--max-sessions', '0'], /--max-sessions takes an integer from 1/],
    [['--heap-limit-mb=4'], /--heap-limit-mb takes an integer from 8/],
    [['--max-sessions', 'none'], /--max-sessions takes an integer/],
    [['--log-level', 'loud'], /--log-level takes one of error, warn, info, debug/],
  ];
  for (const [args, message] of bad) {
    it(`rejects ${args.join(' ')} with one line and status 2`, () => {
      const result = runHost(args);
      expect(result.status).to.equal(2);
      expect(result.stdout).to.equal('');
      expect(result.stderr.trim().split('\n')).to.have.length(1);
      expect(result.stderr).to.match(message);
    });
  }

  it('applies limit flags to the limits initialize announces and sessions get', async () => {
    const host = new RawHost(['--max-sessions=3', '--heap-limit-mb', '32', '--wall-time-limit-ms', '1000', '--max-yield-time-ms', 'none']);
    try {
      const init = await host.call('initialize', { protocolVersion: 1 });
      expect(init.limits.maxSessions).to.equal(3);
      expect(init.limits.sessionDefaults).to.include({ heapLimitMb: 32, wallTimeLimitMs: 1000, maxYieldTimeMs: null });
      const session = await host.call('session/open', {});
      expect(session.limits).to.include({ heapLimitMb: 32, wallTimeLimitMs: 1000, maxYieldTimeMs: null });
    } finally {
      host.kill();
      await host.exited;
    }
  });

  it('runs with no Node flags and never loads isolated-vm; its sandbox process does, to run the cell', async function () {
    this.timeout(30_000);
    const host = await RawHost.start();
    try {
      await openSession(host);
      const response = await execute(host, { source: 'text(1 + 1)' });
      expect(texts(response)).to.deep.equal(['2']);
      const pid = host.child.pid!;
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).to.deep.equal([process.execPath, HOST_ENTRY, '']);
      expect(readFileSync(`/proc/${pid}/maps`, 'utf8')).not.to.match(ADDON);
      const sandboxes = sandboxPids(host);
      expect(sandboxes).to.have.length(1);
      expect(readFileSync(`/proc/${sandboxes[0]}/maps`, 'utf8')).to.match(ADDON);
    } finally {
      host.kill();
      await host.exited;
    }
  });

  it('is one bundled file that imports none of the package\'s own modules', () => {
    const source = readFileSync(HOST_ENTRY, 'utf8');
    expect(source.startsWith('#!/usr/bin/env node\n')).to.equal(true);
    expect(source).not.to.match(/\bfrom\s*["']\.|\bimport\(\s*["']\./);
    expect(source).to.contain('function serveHost(');
  });

  it('runs the same when started with --no-node-snapshot, as clients before it did', () => {
    const result = spawnSync(process.execPath, ['--no-node-snapshot', HOST_ENTRY, '--version'], { encoding: 'utf8', timeout: 10_000 });
    expect(result.status).to.equal(0);
    expect(result.stdout).to.match(/^codemode-host \d+\.\d+\.\d+\n$/);
  });
});
