// Runs runnable tasks in bounded CPU slices and yields to the event loop between slices, so no guest can
// starve the instance. A syscall that blocks parks its task until its Promise settles.
import type { KTask } from './thread.js';
import type { StopReason } from '../cpu/engine.js';
import { dispatch } from '../syscalls/dispatch.js';
import { SIG, SIG_IGN, signaledStatus } from './signals.js';
import { applyStart } from './fork.js';
import { reap, type KProcess } from './process.js';

const SA_NOCLDWAIT = 4n;

/** Slice length: ~nothing lost at 10 ms (ARCHITECTURE.md), and the event loop stays responsive. */
// PBASH_SLICE_US shortens slices to shake out preemption bugs in tests.
const SLICE_US = Number(process.env.PBASH_SLICE_US) || 10_000;

export class Scheduler {
  private readonly runq: KTask[] = [];
  private scheduled = false;
  private live = 0;
  /**
   * Held while any task lives: a task parked on a wait nobody can satisfy (a deadlock) hangs as on Linux,
   * instead of Node's event loop running dry and the process exiting as if all went well.
   */
  private keepAlive: NodeJS.Timeout | null = null;

  /** Attach the task's current engine to the dispatcher and queue it. */
  start(t: KTask): void {
    if (this.live++ === 0) this.keepAlive = setInterval(() => {}, 1 << 30);
    this.attach(t);
    this.wake(t);
  }

  wake(t: KTask): void {
    this.runq.push(t);
    if (!this.scheduled) { this.scheduled = true; setImmediate(() => this.tick()); }
  }

  /** Make `t` the task the engine's syscalls belong to (a vfork parent takes its engine back this way). */
  attach(t: KTask): void {
    const engine = t.engine;
    const words = engine.sysArgs32;
    engine.onSyscall(() => {
      const r = dispatch(t, words);
      if (typeof r === 'number') {
        if (t.stopRequested) engine.stop();
        return r;
      }
      t.pending = r;
      engine.stop();
      return undefined;
    });
  }

  private tick(): void {
    this.scheduled = false;
    const batch = this.runq.splice(0);
    for (const t of batch) this.runSlice(t);
    if (this.runq.length && !this.scheduled) { this.scheduled = true; setImmediate(() => this.tick()); }
  }

  private runSlice(t: KTask): void {
    const engine = t.engine;
    // CPU time is the slice's length, all of it counted as user time: timing every syscall would cost
    // more than the syscall itself (getpid), so the user/system split is not measured.
    const t0 = performance.now();
    const why = engine.run(Number(engine.get('rip')), SLICE_US);
    t.utimeNs += (performance.now() - t0) * 1e6;
    if (why.kind !== 'stopped' && why.kind !== 'timeout') this.fault(t, why);
    this.afterStop(t);
  }

  private afterStop(t: KTask): void {
    t.stopRequested = false;
    if (t.process.exitStatus !== null) return this.exit(t);
    if (t.newImage) {
      const { mm, entry, sp } = t.newImage;
      t.newImage = null;
      const old = t.process.mm;
      t.process.mm = mm;
      const loan = t.process.vfork;
      t.process.vfork = null;
      if (loan) loan.release(); else old.close();
      mm.engine.set('rsp', sp);
      mm.engine.set('rip', entry);
      this.attach(t);
    }
    if (t.vforkChild) {
      const start = t.vforkChild;
      t.vforkChild = null;
      this.attach(start.task);
      applyStart(start);
      this.wake(start.task);
    }
    const pending = t.pending;
    if (!pending) return this.wake(t);
    pending.then((v) => {
      t.pending = null;
      if (t.process.exitStatus !== null) return this.exit(t);
      t.engine.set('rax', v);
      this.wake(t);
    });
  }

  /** A CPU exception: the signal Linux would send (arch/x86/kernel/traps.c); no handler delivery yet. */
  private fault(t: KTask, why: StopReason): void {
    const sig = why.kind === 'interrupt' ? signalForVector(why.intno)
      : why.kind === 'illegal' ? SIG.SIGILL : SIG.SIGSEGV;
    if (t.kernel.strace) t.kernel.log(`[${t.tid}] --- signal ${sig} (${JSON.stringify(why)}) ---`);
    if (why.kind === 'error') t.kernel.log(`pbash: CPU error in pid ${t.process.pid}: ${why.message} at 0x${why.rip.toString(16)}`);
    t.exitGroup(signaledStatus(sig));
  }

  /** The process's last thread ended: release it, hand its children to init, let its parent reap it. */
  private exit(t: KTask): void {
    const proc = t.process;
    if (--this.live === 0 && this.keepAlive) { clearInterval(this.keepAlive); this.keepAlive = null; }
    t.kernel.tasks.delete(t.tid);
    t.files.closeAll();
    proc.utimeNs += t.utimeNs;
    proc.stimeNs += t.stimeNs;
    proc.exit();
    for (const c of proc.children) {
      c.parent = null;
      c.ppid = 1;
      if (c.zombie) proc.children.delete(c);
    }
    const parent = proc.parent;
    if (!parent || autoReaps(parent)) reap(proc);
  }
}

/** x86 exception vector → signal (do_trap table in arch/x86/kernel/traps.c). */
function signalForVector(v: number): number {
  switch (v) {
    case 0: return SIG.SIGFPE;   // #DE divide error
    case 1: case 3: return SIG.SIGTRAP; // #DB, #BP (int3)
    case 4: case 5: case 13: return SIG.SIGSEGV; // #OF, #BR, #GP
    case 6: return SIG.SIGILL;   // #UD
    case 16: case 19: return SIG.SIGFPE; // x87 / SIMD floating point
    case 17: return SIG.SIGBUS;  // #AC
    default: return SIG.SIGSEGV; // int 0x80 and other software interrupts: no 32-bit ABI here
  }
}

/** A parent that ignores SIGCHLD or set SA_NOCLDWAIT never sees zombies (wait(2) NOTES). */
function autoReaps(p: KProcess): boolean {
  const a = p.sigactions[SIG.SIGCHLD];
  return a.handler === SIG_IGN || (a.flags & SA_NOCLDWAIT) !== 0n;
}
