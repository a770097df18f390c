/**
 * Process entry: config → database → migrate → serve → graceful shutdown on SIGTERM/SIGINT
 * (stop accepting, commit what was accepted, close the database).
 */
import { ConfigError, loadConfig } from './config';
import { startServer } from './server';
import { adminKeyLine, startupWarnings } from './startup-notes';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const server = await startServer(config);
  const base = `http://localhost:${server.port}`;
  console.log(
    [
      '',
      `  leadtrail collector on ${base}  (${server.services.database.dialect}: ${server.services.database.location})`,
      '',
      `  demo site   ${base}/`,
      `  script      ${base}/lt.js`,
      `  dashboard   ${base}/dashboard`,
      `  admin key   ${adminKeyLine(config)}`,
      `  config      ${config.source}`,
      '',
    ].join('\n'),
  );
  for (const warning of startupWarnings(config)) console.warn(warning);

  if (process.argv.includes('--demo-data')) {
    // Imported only when asked for: the simulator is a dev tool, not part of serving.
    const { seedDemoData } = await import('./cli/simulate/run');
    try {
      const result = await seedDemoData(base, config.adminKey);
      console.log(
        `  demo data   ${result.events.accepted} events from ${result.visitors} simulated visitors` +
          (result.funnel
            ? ` → ${result.funnel.counts.leads} leads, ${result.funnel.counts.mqls} MQLs, ${result.funnel.counts.sqls} SQLs`
            : ''),
      );
    } catch (error) {
      console.error(`  demo data   not seeded: ${(error as Error).message}`);
    }
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: draining accepted events and shutting down`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
