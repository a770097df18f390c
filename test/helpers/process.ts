/**
 * The collector as a real OS process (`collector/main.ts`), for tests that kill it, run two of
 * it, or hold its database lock from outside.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface CollectorProcess {
  child: ChildProcess;
  url: string;
  port: number;
  output: string[];
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), then wait for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface SpawnOptions {
  dir: string;
  databaseUrl: string;
  /** Config file content; omitted, the collector runs the built-in demo config. */
  config?: Record<string, unknown>;
  adminKey?: string;
  port?: number;
  env?: Record<string, string>;
  /** How long to wait for the banner (default 30 s; a busy machine compiling the collector is slower). */
  startTimeoutMs?: number;
}

export async function spawnCollector(options: SpawnOptions): Promise<CollectorProcess> {
  let configPath: string | undefined;
  if (options.config) {
    configPath = join(options.dir, `config-${process.pid}-${Date.now()}.json`);
    writeFileSync(configPath, JSON.stringify(options.config));
  }
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'collector/main.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      ...(configPath ? { LEADTRAIL_CONFIG: configPath } : {}),
      LEADTRAIL_ADMIN_KEY: options.adminKey ?? 'sk_test_admin_0123456789abcdef',
      LEADTRAIL_DATA_DIR: options.dir,
      ...(options.env ?? {}),
    },
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const port = await new Promise<number>((ok, fail) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim()) output.push(line);
        const match = /collector on http:\/\/localhost:(\d+)/.exec(line);
        if (match) ok(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => fail(new Error(`collector exited with ${code}:\n${output.join('\n')}`)));
    setTimeout(
      () => fail(new Error(`collector did not start:\n${output.join('\n')}`)),
      options.startTimeoutMs ?? 30_000,
    ).unref();
  });
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
