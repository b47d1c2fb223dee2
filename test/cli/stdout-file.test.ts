// A host file as the program's stdout (`pbash ... > out`, `>> out`): every process of the session writes at
// the file's one position, whether it writes with write(2) (echo) or copies with copy_file_range (coreutils
// cat), as in the native chroot. With 2>&1 too, when a program asks for or moves that position (lseek):
// it is the host's offset, shared with stderr and with the host shell that opened the file.
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pbashBin } from '../helpers/pbash.js';
import { getRootfs, rootfsUnavailableReason } from '../helpers/rootfs.js';

const why = rootfsUnavailableReason();
const t0 = why ? test.skip : test;
const SCRIPT = 'echo one; cat /etc/debian_version; echo two; cat /etc/debian_version /etc/hostname';

function into(file: string, append: boolean, argv: string[], stderrToo = false): void {
  const fd = fs.openSync(file, append ? 'a' : 'w');
  try { spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', fd, stderrToo ? fd : 'inherit'] }); } finally { fs.closeSync(fd); }
}

/** Runs `script` natively and under pbash into a host file holding "before", truncated then appended (with
 * stderr into the same file when `stderrToo`); the files must hold the same bytes. */
async function sameBytesAsNative(t: ExecutionContext, script: string, stderrToo: boolean): Promise<void> {
  const root = await getRootfs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-stdout-'));
  for (const append of [false, true]) {
    const native = path.join(dir, `native-${append}`), pbash = path.join(dir, `pbash-${append}`);
    fs.writeFileSync(native, 'before\n');
    fs.writeFileSync(pbash, 'before\n');
    into(native, append, ['chroot', root, '/bin/sh', '-c', script], stderrToo);
    into(pbash, append, [process.execPath, pbashBin, '--standalone', '--root', root, '-c', script], stderrToo);
    t.is(fs.readFileSync(pbash, 'latin1'), fs.readFileSync(native, 'latin1'), append ? '>>' : '>');
  }
  fs.rmSync(dir, { recursive: true });
}

t0('stdout redirected to a host file, truncated or appended: the same bytes as natively', (t) => sameBytesAsNative(t, SCRIPT, false));

// perl's sysseek is lseek(1, 0, SEEK_CUR); dd seek=3 moves the shared offset back to 3 and writes there
const SEEKING = [
  'echo one; echo err >&2; perl -e \'printf "at %d\\n", sysseek(STDOUT, 0, 1)\'; echo two >&2; echo three',
  'printf abcdef; printf XY | dd seek=3 bs=1 conv=notrunc status=none; echo tail >&2',
].join('; ');

t0('stdout and stderr the same host file (2>&1), a program seeking it: the same bytes as natively', (t) => sameBytesAsNative(t, SEEKING, true));
