// Node's own ceiling for the benchmark: a bare node:http server answering the simulator's recorded
// responses (status, headers, body) byte for byte, with no routing, validation or state.
// Plain JavaScript, started with plain `node`: no loader between it and the measurement.
//   node scripts/bench/bare-server.mjs responses.json   (prints its base URL)
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const table = new Map();
for (const r of JSON.parse(readFileSync(process.argv[2], 'utf8'))) {
  table.set(`${r.method} ${r.path}`, { status: r.status, headers: r.headers, body: Buffer.from(r.body, 'utf8') });
}
const notFound = Buffer.from('{}');

const server = createServer((req, res) => {
  const hit = table.get(`${req.method} ${req.url}`);
  // The request body (PUT) is read and dropped, as a server must before answering on keep-alive.
  req.resume();
  req.on('end', () => {
    if (!hit) {
      res.writeHead(404, { 'content-type': 'application/json', 'content-length': notFound.length }).end(notFound);
      return;
    }
    res.writeHead(hit.status, hit.headers).end(hit.body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${server.address().port}\n`));
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
