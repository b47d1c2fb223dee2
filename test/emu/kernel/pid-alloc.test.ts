// pid allocation (kernel/pid.c alloc_pid): numbers grow to pid_max, then start again at 300 skipping every
// pid a task, a process group or a session still holds; /proc/loadavg's last pid and /proc/stat's count follow.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kernel, PID_MAX } from '../../../src/emu/kernel/kernel.js';
import type { Task } from '../../../src/emu/kernel/task.js';

const kernel = (): Kernel => new Kernel({ root: fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-pids-')), log: () => {} });

test('pid_max is 32768; pids wrap to 300 and skip those in use', (t) => {
  t.is(PID_MAX, 32768);
  const k = kernel();
  let pid = 0;
  while ((pid = k.allocPid()) < 1000);
  // a live task holding pid 1000 and a process group 1001 led by nobody alive any more
  k.tasks.set(1000, { tid: 1000, process: { pid: 1000, pgid: 1001, sid: 1000, children: new Set() } } as unknown as Task);
  while ((pid = k.allocPid()) !== PID_MAX - 1);
  t.is(k.allocPid(), 300);
  t.is(k.lastPid, 300);
  while ((pid = k.allocPid()) < 999);
  t.is(k.allocPid(), 1002);
  t.is(k.forks, PID_MAX - 2 + (999 - 300 + 1) + 1);
});

test('pid_max takes 301 to 4194304; pids then wrap below the new value', (t) => {
  const k = kernel();
  for (const bad of [300, 0, -1, 4194305, 1.5]) t.throws(() => k.setPidMax(bad), { message: /EINVAL/ });
  k.setPidMax(4194304);
  k.setPidMax(310);
  t.is(k.pidMax, 310);
  let pid = 0;
  while ((pid = k.allocPid()) < 309);
  t.is(k.allocPid(), 300);
});
