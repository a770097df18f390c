/**
 * Every curl example in the README, run as written (bash, in README order) against a running
 * collector with the built-in demo config. Only the host and the admin key are substituted; a
 * failing HTTP status fails the test with the command that failed.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorProcess, spawnCollector } from '../helpers/process';
import { freePort } from '../simulate/demo-collector';

const run = promisify(execFile);
const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
const ADMIN_KEY = 'sk_readme_0123456789abcdef';

/**
 * The curl commands of the README's shell blocks (continuation lines joined), each with the
 * variable assignments that come before it in its block (`now=$(date +%s000)`).
 */
function shellCommands(): string[] {
  const commands: string[] = [];
  for (const block of README.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const setup: string[] = [];
    let current = '';
    for (const line of block[1]!.split('\n')) {
      current += (current ? '\n' : '') + line;
      if (line.endsWith('\\')) continue;
      const command = current.replace(/\s+#.*$/gm, '').trim();
      current = '';
      if (/^[a-z_]+=/.test(command)) setup.push(command);
      else if (command.startsWith('curl')) commands.push([...setup, command].join('\n'));
    }
  }
  return commands;
}

describe('README curl examples', () => {
  let dir: string;
  let collector: CollectorProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrail-readme-'));
    // The spend example posts a cost export from the current folder, as a user would.
    copyFileSync(
      resolve(import.meta.dirname, '../../docs/examples/google-ads.csv'),
      join(dir, 'google-ads.csv'),
    );
    collector = await spawnCollector({
      dir,
      databaseUrl: join(dir, 'readme.db'),
      port: await freePort(),
      adminKey: ADMIN_KEY,
    });
  });
  afterAll(async () => {
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const commands = shellCommands();

  it('finds the examples', () => {
    // /collect, Segment, feed, CSV, contacts, stage move, erasure, accounts, reports, stream, health.
    expect(commands.length).toBeGreaterThanOrEqual(18);
  });

  it('runs every one of them successfully, in order', async () => {
    const base = `http://localhost:${collector.port}`;
    let contactId = '';
    for (const command of commands) {
      if (command.includes('$ID') && !contactId) {
        const response = await fetch(`${base}/api/leads?q=rea@acme.io`, {
          headers: { authorization: `Bearer ${ADMIN_KEY}` },
        });
        const { leads } = (await response.json()) as { leads: { id: string }[] };
        contactId = leads[0]?.id ?? '';
        expect(contactId, 'the /collect example identifies rea@acme.io').not.toBe('');
      }
      const script = [
        'set -o pipefail',
        `export LEADTRAIL_ADMIN_KEY=${ADMIN_KEY}`,
        `export API=${base}/api`,
        `export ID=${contactId}`,
        'auth=(-H "Authorization: Bearer $LEADTRAIL_ADMIN_KEY")',
        // --fail-with-body: an HTTP error is a failed command; a stream is cut after 2 s.
        command
          .replaceAll('http://localhost:8787', base)
          .replace(
            /^curl /m,
            `curl -sS --fail-with-body --max-time ${command.includes('/stream') ? 2 : 15} `,
          ),
      ].join('\n');
      try {
        await run('bash', ['-c', script], { cwd: dir, timeout: 30_000 });
      } catch (error) {
        const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
        // curl's 28 is the intended timeout of the endless SSE stream.
        if (command.includes('/stream') && code === 28) continue;
        expect.fail(`README example failed (exit ${code}):\n${command}\n${stdout}\n${stderr}`);
      }
    }
  }, 120_000);
});
