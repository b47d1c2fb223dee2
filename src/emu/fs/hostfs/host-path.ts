// Host paths as node:fs takes them. A hostfs node is its whole host path, and a Linux host refuses a path
// argument of PATH_MAX (4096) bytes or more with ENAMETOOLONG, while Linux limits only each path argument,
// not the depth of a tree (mkdir -p goes on with fchdir and relative names). A longer host path is reached
// in steps: a part shorter than the limit is opened as an O_PATH directory fd and the next part resolved
// from it through /proc/self/fd/N (the magic link leads to the directory itself). Those fds close once the
// synchronous host call that uses the path is done (hostfs makes only synchronous calls).
import * as fs from 'node:fs';
import { fromHostError } from '../../kernel/errno.js';

const HOST_PATH_MAX = 4096;
/** The longest part resolved in one step: room is left for the /proc/self/fd/N/ before it. */
const STEP = 3072;
/** Linux's O_PATH (x86-64 and arm64); node:fs does not export it. */
const O_PATH = 0o10000000;
const stepsWork = process.platform === 'linux' && fs.existsSync('/proc/self/fd');

/** The step directories opened in this synchronous run, by the path they were opened with (a long directory's
 *  entries share its fd); all closed once the run is over. */
const open = new Map<string, number>();
function closeOpen(): void {
  for (const fd of open.values()) fs.closeSync(fd);
  open.clear();
}

/** A directory fd for `dir`, opened once per synchronous run. */
function stepFd(dir: Buffer): number {
  const key = dir.toString('latin1');
  let fd = open.get(key);
  if (fd !== undefined) return fd;
  try {
    fd = fs.openSync(dir, O_PATH | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
  } catch (e) { throw fromHostError(e); }
  if (open.size === 0) queueMicrotask(closeOpen);
  open.set(key, fd);
  return fd;
}

/** A byte-string path (latin1) as the Buffer node:fs takes, so arbitrary bytes survive; long ones in steps. */
export function hp(p: string): Buffer {
  const whole = Buffer.from(p, 'latin1');
  if (whole.length < HOST_PATH_MAX || !stepsWork) return whole;
  let path = whole, base = 0; // base: the length of the /proc/self/fd/N the path starts with
  while (path.length >= HOST_PATH_MAX) {
    const cut = path.lastIndexOf(0x2f, STEP); // the last '/' of the next step
    if (cut <= base) return whole; // a name longer than a step: the host says ENAMETOOLONG
    const dir = Buffer.from(`/proc/self/fd/${stepFd(path.subarray(0, cut))}`);
    path = Buffer.concat([dir, path.subarray(cut)]);
    base = dir.length;
  }
  return path;
}
