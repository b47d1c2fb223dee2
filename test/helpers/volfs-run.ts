// Run one Linux command with a VolFs distro directory as the root (the standalone launcher, in this
// process): `node --import tsx test/helpers/volfs-run.ts DISTRO_DIR PROG ARGS...`; exits with its status.
import { runStandalone } from '../../src/instance/standalone.js';

const [dir, ...argv] = process.argv.slice(2);
if (!dir || argv.length === 0) {
  process.stderr.write('usage: volfs-run.ts DISTRO_DIR PROG ARGS...\n');
  process.exit(2);
}
const env = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C', 'TERM=dumb'];
const r = await runStandalone({ root: dir, rootType: 'volfs', argv, env, cwd: '/', strace: process.env.PBASH_STRACE === '1' });
if (r.message) process.stderr.write(`pbash: ${r.message}\n`);
process.exit(r.exitCode);
