// How a terminal signals processes (drivers/tty/tty_jobctrl.c kill_pgrp, tty_signal_session_leader): through
// the kernel's signal-sending API. An object so unit tests can observe the signals without a scheduler.
import type { Kernel } from '../../kernel/kernel.js';
import { sendSignal, sendSignalToGroup } from '../../kernel/signal-send.js';
import { LinuxError } from '../../kernel/errno.js';

const quiet = (f: () => void): void => {
  try { f(); } catch (e) { if (!(e instanceof LinuxError)) throw e; } // an empty group: nobody to signal
};

export const ttySignal = {
  toGroup(kernel: Kernel, pgrp: number, sig: number): void { quiet(() => sendSignalToGroup(kernel, pgrp, sig)); },
  toProcess(kernel: Kernel, pid: number, sig: number): void { quiet(() => sendSignal(kernel, pid, sig)); },
};
