// Runs runnable tasks in bounded CPU slices and yields to the event loop between slices, so no guest can
// starve the instance. A syscall that blocks parks its task until its Promise settles. Threads of a process
// take turns on its engine; signals are delivered when a task is about to run again.
import type { KTask } from './thread.js';
import { exitRobustList } from './robust-list.js';
import type { Engine, StopReason } from '../cpu/engine.js';
import { dispatch } from '../syscalls/dispatch.js';
import { SIG } from './signals.js';
import { deliverSignals, forceSignal, isRestartCode, postGroupSignal } from './signal-deliver.js';
import { applyStart } from './fork.js';
import { reap, type KProcess } from './process.js';
import { autoReaps, reportExit } from './exit-notify.js';
import { startImage } from './exec-commit.js';
import { PTRACE_EVENT, PTRACE_O, enterStop, eventStop, traceeExited, tracerExited } from './ptrace.js';
import type { RegName } from '../cpu/cpu.js';
import { blockers } from './wait-queue.js';
import { E, err } from './errno.js';
import { sharedWithOthers } from './task-lookup.js';
import { futexKey, futexWake } from './futex.js';
import { sessionLeaderExited } from '../fs/tty/jobctrl.js';
import { seccompExit } from './seccomp.js';

/** Which thread's registers each engine holds now. */
const owners = new WeakMap<Engine, KTask>();

/** CLONE_CHILD_CLEARTID at thread exit: zero the tid word and wake one futex waiter (pthread_join). */
function clearTid(t: KTask): void {
  try {
    t.mem.writeU32(t.clearChildTid, 0);
    futexWake(futexKey(t.process.mm, t.clearChildTid, true), 1, 0xffffffff);
  } catch { /* an unmapped address: nothing to clear, as mm_release ignores faults */ }
}

/** Slice length: ~nothing lost at 10 ms (ARCHITECTURE.md), and the event loop stays responsive. */
// PBASH_SLICE_US shortens slices to shake out preemption bugs in tests.
export const SLICE_US = Number(process.env.PBASH_SLICE_US) || 10_000;

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
    this.startThread(t);
    this.attach(t);
  }

  /** Queue a task that takes its engine over when it first runs (a new thread). */
  startThread(t: KTask): void {
    if (this.live++ === 0) this.keepAlive = setInterval(() => {}, 1 << 30);
    this.wake(t);
  }

  wake(t: KTask): void {
    this.runq.push(t);
    if (!this.scheduled) { this.scheduled = true; setImmediate(() => this.tick()); }
  }

  /** Make `t` the task the engine's registers and syscalls belong to (a vfork parent takes its engine back this way). */
  attach(t: KTask): void {
    const engine = t.engine;
    owners.set(engine, t);
    const words = engine.sysArgs32;
    engine.onSyscall(() => {
      const r = dispatch(t, words);
      if (typeof r === 'number') {
        if (r < -511 && r > -517 && isRestartCode(r)) { t.restartCode = -r; t.sysNr = words[0]; engine.stop(); }
        else if (t.stopRequested || t.sigDirty || t.yieldSlice) engine.stop(); // exit, exec, a signal to deliver first, a yield
        return r;
      }
      t.sysNr = words[0];
      t.pending = r;
      t.blockedCall = [...engine.sysArgs, engine.get('rsp'), engine.get('rip')];
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

  /**
   * Give the engine to thread `t`: the current owner's registers are saved into its context, t's restored
   * (threads of a process are register contexts switched on the process's one engine).
   */
  switchTo(t: KTask): void {
    const engine = t.engine;
    const owner = owners.get(engine);
    if (owner !== t) {
      if (owner && !owner.dead && owner.process.mm.engine === engine) owner.ctx = engine.saveContext();
      if (t.ctx) { engine.restoreContext(t.ctx); t.ctx = null; }
      this.attach(t);
    }
    for (const [r, v] of t.regWrites.splice(0)) engine.set(r, v);
  }

  /** Set a register of `t`, now if it owns the engine, else when it next does. */
  private setReg(t: KTask, r: RegName, v: number | bigint): void {
    if (owners.get(t.engine) === t) t.engine.set(r, v); else t.regWrites.push([r, v]);
  }

  /** Set registers of a task that is not running (a ptrace-stopped tracee), in order. */
  setRegs(t: KTask, regs: [RegName, number | bigint][]): void { for (const [r, v] of regs) this.setReg(t, r, v); }

  /** The engine holding `t`'s registers, switched to it (a ptrace-stopped tracee's registers read and written). */
  own(t: KTask): Engine {
    // a vfork parent's registers are kept aside while its child runs on the engine
    const owner = owners.get(t.engine);
    if (owner && owner.process !== t.process && !owner.dead) throw err(E.EIO, 'ptrace: the registers of a vfork parent are unreachable while its child runs');
    this.switchTo(t);
    return t.engine;
  }

  private runSlice(t: KTask): void {
    if (t.dead || t.ptrace?.stop) return; // a ptrace-stopped tracee runs when its tracer resumes it
    const p = t.process;
    if (p.exitStatus !== null || t.threadExit) return this.exit(t);
    // a tracee the tracer resumed runs even while its group is stopped (ptrace(2), "Group-stop")
    if (p.stopSig && !t.ptrace) { p.stoppedTasks.add(t); return; }
    this.switchTo(t);
    // a resumed syscall-enter-stop runs its syscall first: nothing is delivered between its stop and the call
    if ((t.sigDirty || t.restartCode) && !t.ptrace?.reenter && deliverSignals(t) === 'exit') return this.exit(t);
    if (t.ptrace?.stop) return;
    if (p.stopSig && !t.ptrace) { p.stoppedTasks.add(t); return; }
    const engine = t.engine;
    // CPU time is the slice's length, all of it counted as user time: timing every syscall would cost
    // more than the syscall itself (getpid), so the user/system split is not measured.
    t.sliceStart = performance.now();
    const why = engine.run(Number(engine.get('rip')), SLICE_US);
    t.kernel.busyNs += t.userNs - t.utimeNs;
    t.utimeNs = t.userNs;
    t.sliceStart = 0;
    if (p.timers.cpu.size) p.timers.pollCpu(); // ITIMER_VIRTUAL/PROF and CPU-clock timers: checked at slice ends
    if (why.kind !== 'stopped' && why.kind !== 'timeout') this.fault(t, why);
    this.afterStop(t);
  }

  private afterStop(t: KTask): void {
    t.stopRequested = false;
    if (t.process.exitStatus !== null || t.threadExit) return this.exit(t);
    if (t.newImage) {
      const { mm, entry, sp } = t.newImage;
      t.newImage = null;
      const old = t.process.mm;
      t.process.leaveMemory(old);
      t.process.mm = mm;
      const loan = t.process.vfork;
      t.process.vfork = null;
      if (loan) loan.release(); else old.close();
      startImage(mm.engine, entry, sp);
      this.attach(t);
    }
    if (t.vforkChild) {
      const start = t.vforkChild;
      t.vforkChild = null;
      this.attach(start.task);
      applyStart(start);
      this.startThread(start.task);
    }
    const pending = t.pending;
    if (!pending && t.ptrace?.stop) return; // a ptrace-stop entered in the syscall
    if (!pending && t.yieldSlice) {
      // the tasks it woke are queued by promise callbacks after this slice: requeue behind them
      t.yieldSlice = false;
      setImmediate(() => this.wake(t));
      return;
    }
    if (!pending) return this.wake(t);
    pending.then((v) => {
      t.pending = null;
      if (t.process.exitStatus !== null || t.threadExit) return this.exit(t);
      if (isRestartCode(v)) t.restartCode = -v; // interrupted: deliverSignals restarts it or makes it EINTR
      this.setReg(t, 'rax', v);
      this.wake(t);
    });
  }

  /** A CPU exception becomes the signal Linux sends (arch/x86/kernel/traps.c, arch/x86/mm/fault.c). */
  private fault(t: KTask, why: StopReason): void {
    if (t.kernel.strace) t.kernel.log(`[${t.tid}] --- ${JSON.stringify(why)} ---`);
    if (why.kind === 'error') t.kernel.log(`pbash: CPU error in pid ${t.process.pid}: ${why.message} at 0x${why.rip.toString(16)}`);
    let { sig, code, addr } = faultSignal(why);
    if (why.kind === 'fault') {
      const mm = t.process.mm;
      // mm/fault.c: no VMA at the address is SEGV_MAPERR even where munmap left our engine's block mapped
      if (!mm.vmas.find(why.addr)) code = SEGV_MAPERR;
      else if (why.mapped) {
        let file: 'retry' | 'sigbus' | null;
        try { file = mm.fileFault(why.addr, why.access); } catch { file = 'sigbus'; } // reading the page in failed: EIO is SIGBUS
        if (file === 'retry') { t.engine.set('rip', why.rip); return; } // the file has grown to the page: run it again
        if (file === 'sigbus') { sig = SIG.SIGBUS; code = BUS_ADRERR; }
      }
    }
    if ('rip' in why) t.engine.set('rip', why.rip);
    forceSignal(t, sig, { code, pid: 0, uid: 0, addr });
  }

  /**
   * Hand the children of a dead process to the nearest subreaper ancestor, else to init (which reaps
   * zombies at once), and send each its PR_SET_PDEATHSIG signal (kernel/exit.c forget_original_parent).
   */
  private orphan(t: KTask, proc: KProcess): void {
    let reaper = proc.parent;
    while (reaper && (!reaper.subreaper || reaper.zombie)) reaper = reaper.parent;
    reaper ??= t.kernel.init;
    for (const c of [...proc.children]) {
      proc.children.delete(c);
      c.parent = reaper;
      c.ppid = reaper.pid;
      reaper.children.add(c);
      if (c.zombie) { if (autoReaps(reaper)) reap(c); else reaper.childChanged(); continue; }
      const leader = t.kernel.tasks.get(c.pid) as KTask | undefined;
      if (c.pdeathSignal && leader) postGroupSignal(leader, c.pdeathSignal, { code: 0, pid: proc.pid, uid: t.creds.uid });
    }
  }

  /**
   * A thread ended (exit(2), or its process is going). The robust futexes it held are marked owner-dead;
   * its clear_child_tid is zeroed and woken
   * (pthread_join); when it was the last thread, the process ends: memory released, children handed to
   * init, the parent told and it reaps (or the zombie is reaped at once when nobody will).
   */
  private exit(t: KTask): void {
    if (t.dead) return;
    const proc = t.process;
    const tr = t.ptrace;
    // PTRACE_O_TRACEEXIT: the tracer sees the exit coming, registers still readable (not after SIGKILL)
    if (tr && tr.options & PTRACE_O.TRACEEXIT && !tr.exitReported && (proc.exitStatus ?? 0) !== SIG.SIGKILL) {
      tr.exitReported = true;
      tr.eventMsg = BigInt(proc.exitStatus ?? 0);
      enterStop(tr, eventStop(tr, PTRACE_EVENT.EXIT));
      return;
    }
    t.dead = true;
    if (t.tracees.size) tracerExited(t);
    exitRobustList(t);
    if (--this.live === 0 && this.keepAlive) { clearInterval(this.keepAlive); this.keepAlive = null; }
    t.kernel.tasks.delete(t.tid);
    if (t.seccomp) seccompExit(t);
    proc.threads.delete(t);
    proc.utimeNs += t.utimeNs;
    proc.stimeNs += t.stimeNs;
    proc.ioac.add(t.ioac);
    // an fd table no other task uses goes with its last user (a thread's own, an unshare(CLONE_FILES) copy);
    // one shared through CLONE_FILES with another process stays open for it
    if (!sharedWithOthers(t, (o) => o.files)) t.files.closeAll();
    if (proc.threads.size > 0) {
      if (t.ptrace) traceeExited(t, proc.exitStatus ?? 0, false);
      if (t.clearChildTid && proc.exitStatus === null) clearTid(t);
      if (proc.exitStatus !== null) for (const o of proc.threads) blockers.get(o)?.interrupt(); // exit_group
      return;
    }
    proc.exit();
    if (proc.sid === proc.pid) sessionLeaderExited(t.kernel, proc.sid); // its terminal hangs up its foreground group
    this.orphan(t, proc);
    // a tracee's end is its tracer's to report first (exit_notify); the parent hears once it is collected
    if (t.ptrace && traceeExited(t, proc.exitStatus ?? 0, true)) return;
    reportExit(t);
  }
}

/** si_codes: SIGSEGV for an address without a mapping, SIGBUS for one past the end of a mapped file. */
const SEGV_MAPERR = 1, BUS_ADRERR = 2;

/** The signal, si_code and si_addr for a CPU stop (SEGV_MAPERR/ACCERR, ILL_ILLOPN, FPE_INTDIV, TRAP_BRKPT...). */
function faultSignal(why: StopReason): { sig: number; code: number; addr?: number } {
  switch (why.kind) {
    case 'fault': return { sig: SIG.SIGSEGV, code: why.mapped ? 2 : SEGV_MAPERR, addr: why.addr };
    case 'illegal': return { sig: SIG.SIGILL, code: 2, addr: why.rip };
    case 'interrupt': {
      const sig = signalForVector(why.intno);
      // #DB (a single step) is TRAP_TRACE, int3 SI_KERNEL (0x80) as do_int3_user's force_sig
      const code = sig === SIG.SIGFPE ? 1 : why.intno === 1 ? 2 : sig === SIG.SIGILL ? 2 : 0x80;
      return { sig, code, addr: sig === SIG.SIGSEGV ? 0 : why.rip };
    }
    default: return { sig: SIG.SIGSEGV, code: 0x80, addr: 0 };
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
