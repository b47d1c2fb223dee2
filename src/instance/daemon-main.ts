// Entry point of the instance daemon, started detached by the first client (src/interop/instance-client.ts)
// with its stdout/stderr on $PBASH_HOME/logs/daemon.log.
import { homePaths, ensureDirs } from '../interop/run-dir.js';
import { pbashBuild } from '../interop/version.js';
import { loadConfig } from './config.js';
import { Daemon } from './daemon.js';
import { openLog } from './log.js';

const paths = homePaths();
ensureDirs(paths);
const log = openLog(paths.logs);
process.on('uncaughtException', (e) => {
  // one broken session must not take the instance and every other session down
  log(`uncaught: ${e.stack ?? e.message}`);
});
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${e instanceof Error ? e.stack : String(e)}`));

const daemon = new Daemon({
  paths, version: pbashBuild(), idleMs: loadConfig(paths.config).idleMs, log, strace: process.env.PBASH_STRACE === '1',
});
if (!(await daemon.start())) process.exit(0);
