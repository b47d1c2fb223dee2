// signalfd(2) files: reading takes pending signals of the reading task (those in the file's mask) as
// struct signalfd_siginfo records, instead of running handlers (fs/signalfd.c).
import { E, err } from '../kernel/errno.js';
import type { KTask } from '../kernel/thread.js';
import { current, waitOn } from '../kernel/wait-queue.js';
import { dequeueSignal, type SigInfo } from '../kernel/signal-deliver.js';
import { O } from './constants.js';
import { AnonInodeFile } from './anon-inode.js';
import { POLL, type IoResult } from './file.js';

const RECORD = 128;

/**
 * struct signalfd_siginfo: ssi_signo @0, ssi_code @8, ssi_pid @12, ssi_uid @16, ssi_tid @24 (timer id),
 * ssi_overrun @32, ssi_status @40, ssi_int @44 and ssi_ptr @48 (si_value), ssi_addr @72.
 */
function record(sig: number, info: SigInfo): Uint8Array {
  const b = new Uint8Array(RECORD);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, sig, true);
  dv.setInt32(8, info.code, true);
  dv.setUint32(12, info.pid, true);
  dv.setUint32(16, info.uid, true);
  dv.setUint32(24, info.timerid ?? 0, true);
  dv.setUint32(32, info.overrun ?? 0, true);
  dv.setInt32(40, info.status ?? 0, true);
  const value = BigInt.asUintN(64, info.value ?? 0n);
  dv.setInt32(44, Number(BigInt.asIntN(32, value)), true);
  dv.setBigUint64(48, value, true);
  dv.setBigUint64(72, BigInt(info.addr ?? 0), true);
  return b;
}

export class SignalFile extends AnonInodeFile {
  constructor(public mask: bigint, flags: number, private readonly owner: KTask) {
    super(O.RDONLY | (flags & O.NONBLOCK), 'signalfd');
  }

  private reader(): KTask { return (current() as KTask | null) ?? this.owner; }

  private take(t: KTask): Uint8Array | null {
    const next = dequeueSignal(t, this.mask);
    return next && record(next.sig, next.info);
  }

  override read(buf: Uint8Array): IoResult {
    if (buf.length < RECORD) throw err(E.EINVAL);
    const t = this.reader();
    const fill = (): number | null => {
      let n = 0;
      while (n + RECORD <= buf.length) {
        const r = this.take(t);
        if (!r) break;
        buf.set(r, n);
        n += RECORD;
      }
      return n > 0 ? n : null;
    };
    const now = fill();
    if (now !== null) return now;
    if (this.nonblocking) throw err(E.EAGAIN);
    return waitOn([t.sigQueue], fill);
  }

  override pollMask(): number {
    return (this.reader().pendingSigs & this.mask) ? POLL.IN | POLL.RDNORM : 0;
  }

  override get pollQueue() { return this.reader().sigQueue; }
}
