/**
 * The global set-up of `defineNoGiConfig` (src/public/config.ts): for the `mock` target, the
 * bundled simulator in test mode on free ports, its ports and admin token handed to the workers
 * through the environment (as the suite's own playwright.config.ts does), stopped when the run
 * ends; then the target resolved once, so a missing setting stops the run with one message.
 */
import { suiteTarget, targetEnvironment } from '../config/suite-target.ts';
import type { TargetName } from '../config/target.ts';
import { startSimulator } from '../simulator/index.ts';

export default async function nogiGlobalSetup(): Promise<(() => Promise<void>) | undefined> {
  const target = (process.env.NOGI_TARGET || 'mock') as TargetName;
  let close: (() => Promise<void>) | undefined;
  if (target === 'mock' && !process.env.NOGI_SIM_ACCESS_PORT) {
    const sim = await startSimulator({ testMode: true, log: () => undefined });
    const port = (url: string | undefined) => String(new URL(url!).port);
    process.env.NOGI_SIM_ACCESS_PORT = port(sim.accessUrl);
    process.env.NOGI_SIM_API_PORT = port(sim.apiUrl);
    process.env.NOGI_SIM_ADMIN_PORT = port(sim.adminUrl);
    process.env.NOGI_SIM_ADMIN_TOKEN = sim.adminToken;
    close = () => sim.close();
  }
  try {
    await suiteTarget(targetEnvironment(target));
  } catch (error) {
    await close?.();
    throw error;
  }
  return close;
}
