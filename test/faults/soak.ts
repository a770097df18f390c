/** `npm run soak [-- cycles]`: the kill/restart fault run, longer than CI's. */
import { runKillCycles } from './kill-cycles';

const cycles = Number(process.argv[2] ?? 100);
const report = await runKillCycles(cycles, { senders: 16, log: (line) => console.log(line) });
console.log(JSON.stringify({ ...report, missing: report.missing.length }, null, 2));
const ok = report.missing.length === 0 && report.duplicated === 0 && report.integrity === 'ok';
console.log(ok ? 'soak: every acknowledged event stored exactly once' : 'soak: FAILED');
process.exit(ok ? 0 : 1);
