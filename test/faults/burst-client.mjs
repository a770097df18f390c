// A misbehaving client in its own process: `count` POSTs to /collect over `seconds`, `concurrency`
// at a time, from one source address. Prints a JSON summary of the statuses when done.
import { Agent, request } from 'node:http';

const [port, localAddress, count, concurrency, seconds] = process.argv.slice(2);
const total = Number(count);
const agent = new Agent({ keepAlive: true, maxSockets: Number(concurrency), localAddress });
const body = JSON.stringify({
  site: 'pk_test',
  events: [{ id: 'burst', type: 'page', ts: Date.now(), anon: 'burst' }],
});
const statuses = {};
const started = performance.now();
let next = 0;

const post = () =>
  new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(port),
        path: '/collect',
        method: 'POST',
        agent,
        localAddress,
        headers: { 'content-type': 'text/plain' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });

async function worker() {
  while (next < total) {
    const i = next++;
    const wait = started + (i / total) * Number(seconds) * 1000 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const status = await post();
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
}

await Promise.all(Array.from({ length: Number(concurrency) }, worker));
agent.destroy();
console.log(JSON.stringify(statuses));
