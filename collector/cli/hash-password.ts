/**
 * `npm run hash-password`: prints a scrypt hash for a dashboard user's `password_hash`.
 * The password comes from stdin when it is piped (`printf %s "$PW" | npm run -s hash-password`),
 * or from a prompt that does not echo what is typed. Never from argv: that is visible in `ps`
 * and in the shell's history.
 */
import { hashPassword } from '../dashboard/password';

const MIN_LENGTH = 8;
const MAX_LENGTH = 1024;

async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_LENGTH + 2) throw new Error(`password: at most ${MAX_LENGTH} characters`);
    chunks.push(chunk);
  }
  // One trailing newline is the line ending of `echo`, not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Reads one line from the terminal in raw mode, echoing nothing. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (text: string) => {
      for (const char of text) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new Error('cancelled'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (value.length < MAX_LENGTH) value += char;
      }
    };
    stdin.on('data', onData);
  });
}

async function main() {
  let password: string;
  if (process.stdin.isTTY) {
    password = await prompt('Password: ');
    const again = await prompt('Again: ');
    if (again !== password) throw new Error('the two passwords differ');
  } else {
    password = await readPiped();
  }
  if (password.length < MIN_LENGTH) throw new Error(`password: at least ${MIN_LENGTH} characters`);
  if (password.length > MAX_LENGTH) throw new Error(`password: at most ${MAX_LENGTH} characters`);
  process.stdout.write(`${await hashPassword(password)}\n`);
}

main().catch((error) => {
  process.stderr.write(`hash-password: ${(error as Error).message}\n`);
  process.exit(1);
});
