import { startSimulatorProcess } from './servers.ts';
import { lifecycles, partner } from './simulator.ts';
const sim = await startSimulatorProcess();
try {
  const p = await partner(sim);
  await lifecycles(p, 20, 60_000);
  const t = performance.now();
  let n = 0;
  const cpu0 = process.cpuUsage();
  while (performance.now() - t < 8000) { const r = await lifecycles(p, 200, 60_000); n += r.completed; }
  const cpu = process.cpuUsage(cpu0);
  console.log(`${n} lifecycles, client CPU ${((cpu.user + cpu.system) / n).toFixed(0)} µs/lifecycle, ${(n / ((performance.now() - t) / 1000)).toFixed(0)}/s`);
} finally { await sim.stop(); }
