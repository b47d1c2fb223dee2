// Terminal ioctls (drivers/tty/tty_io.c tty_ioctl, tty_ioctl.c tty_mode_ioctl, pty.c pty_unix98_ioctl):
// termios get/set, window size, job control, flushing, flow control, and the pty master's requests.
import { CAP, capable } from '../../kernel/capability.js';
import { E, err } from '../../kernel/errno.js';
import { SIG } from '../../kernel/signals.js';
import type { Task } from '../../kernel/task.js';
import { O } from '../constants.js';
import type { OpenFile } from '../file.js';
import { checkChange, checkIsCtty, tiocnotty, tiocsctty, tiocspgrp } from './jobctrl.js';
import { readTermios, writeTermios, TERMIOS_SIZE } from './termios.js';
import type { Tty } from './tty.js';

export const TIOC = {
  TCGETS: 0x5401, TCSETS: 0x5402, TCSETSW: 0x5403, TCSETSF: 0x5404, TCSBRK: 0x5409, TCXONC: 0x540a,
  TCFLSH: 0x540b, TIOCEXCL: 0x540c, TIOCNXCL: 0x540d, TIOCSCTTY: 0x540e, TIOCGPGRP: 0x540f, TIOCSPGRP: 0x5410,
  TIOCOUTQ: 0x5411, TIOCSTI: 0x5412, TIOCGWINSZ: 0x5413, TIOCSWINSZ: 0x5414, TIOCPKT: 0x5420, TIOCNOTTY: 0x5422,
  TIOCSETD: 0x5423, TIOCGETD: 0x5424, TCSBRKP: 0x5425, TIOCSBRK: 0x5427, TIOCCBRK: 0x5428, TIOCGSID: 0x5429,
  TCGETS2: 0x802c542a, TCSETS2: 0x402c542b, TCSETSW2: 0x402c542c, TCSETSF2: 0x402c542d,
  TIOCGPTN: 0x80045430, TIOCSPTLCK: 0x40045431, TIOCSIG: 0x40045436, TIOCGPKT: 0x80045438,
  TIOCGPTLCK: 0x80045439, TIOCGEXCL: 0x80045440, TIOCGPTPEER: 0x5441, TIOCGLCKTRMIOS: 0x5456, TIOCSLCKTRMIOS: 0x5457,
} as const;

/** Which end of the terminal an ioctl came through. */
export interface TtySide {
  tty: Tty;
  master: boolean;
  readable: boolean;
  /** TIOCGPTPEER: open the slave of this master. */
  openPeer?(t: Task, flags: number): OpenFile;
}

const TCOOFF = 0, TCOON = 1, TCIOFF = 2, TCION = 3;
const TCIFLUSH = 0, TCOFLUSH = 1, TCIOFLUSH = 2;

export function ttyIoctl(s: TtySide, t: Task, req: number, arg: number): number {
  const { tty } = s;
  const m = t.mem;
  if (tty.hungUp && !s.master) throw err(req === TIOC.TIOCSPGRP ? E.ENOTTY : E.EIO); // hung_up_tty_ioctl
  const slaveCheck = (): void => { if (!s.master) checkChange(tty, t, SIG.SIGTTOU); };
  switch (req) {
    case TIOC.TCGETS: case TIOC.TCGETS2:
      writeTermios(m, arg, s.master ? tty.masterTermios : tty.termios, req === TIOC.TCGETS2);
      return 0;
    case TIOC.TCSETS: case TIOC.TCSETSW: case TIOC.TCSETSF:
    case TIOC.TCSETS2: case TIOC.TCSETSW2: case TIOC.TCSETSF2: {
      const v2 = req === TIOC.TCSETS2 || req === TIOC.TCSETSW2 || req === TIOC.TCSETSF2;
      const nt = readTermios(m, arg, v2);
      if (s.master) { tty.masterTermios = nt; return 0; }
      slaveCheck();
      // TCSETSW waits for output to drain: a pty's output is already with the master, so nothing to wait for
      if (req === TIOC.TCSETSF || req === TIOC.TCSETSF2) tty.ldisc.flush();
      tty.setTermios(nt);
      return 0;
    }
    case TIOC.TIOCGLCKTRMIOS: m.write(arg, new Uint8Array(TERMIOS_SIZE)); return 0;
    case TIOC.TIOCSLCKTRMIOS: if (!capable(t.creds, CAP.SYS_ADMIN)) throw err(E.EPERM); m.read(arg, TERMIOS_SIZE); return 0;
    case TIOC.TIOCGWINSZ: {
      const w = tty.winsize;
      const b = new DataView(new ArrayBuffer(8));
      b.setUint16(0, w.row, true); b.setUint16(2, w.col, true); b.setUint16(4, w.xpixel, true); b.setUint16(6, w.ypixel, true);
      m.write(arg, new Uint8Array(b.buffer));
      return 0;
    }
    case TIOC.TIOCSWINSZ: {
      const b = m.read(arg, 8);
      const dv = new DataView(b.buffer, b.byteOffset, 8);
      tty.resize({ row: dv.getUint16(0, true), col: dv.getUint16(2, true), xpixel: dv.getUint16(4, true), ypixel: dv.getUint16(6, true) });
      return 0;
    }
    case TIOC.TIOCSCTTY: if (s.master) throw err(E.ENOTTY); return tiocsctty(tty, t, s.readable, arg);
    case TIOC.TIOCNOTTY: if (s.master) throw err(E.ENOTTY); return tiocnotty(tty, t);
    case TIOC.TIOCGPGRP: checkIsCtty(tty, t, s.master); m.writeI32(arg, tty.pgrp ?? 0); return 0;
    case TIOC.TIOCSPGRP: if (s.master) throw err(E.ENOTTY); return tiocspgrp(tty, t, m.readI32(arg));
    case TIOC.TIOCGSID:
      checkIsCtty(tty, t, s.master);
      if (tty.session === null) throw err(E.ENOTTY);
      m.writeI32(arg, tty.session);
      return 0;
    case TIOC.TIOCOUTQ: m.writeI32(arg, s.master ? 0 : tty.outq.size); return 0;
    case TIOC.TCFLSH: {
      if (arg !== TCIFLUSH && arg !== TCOFLUSH && arg !== TCIOFLUSH) throw err(E.EINVAL);
      slaveCheck();
      // the master's input is the slave's output and the other way round
      const inSlave = s.master ? arg !== TCIFLUSH : arg !== TCOFLUSH;
      const outSlave = s.master ? arg !== TCOFLUSH : arg !== TCIFLUSH;
      if (inSlave) tty.ldisc.flush();
      if (outSlave) tty.flushOutput();
      return 0;
    }
    case TIOC.TCXONC:
      if (arg < TCOOFF || arg > TCION) throw err(E.EINVAL);
      slaveCheck();
      if (arg === TCOOFF) tty.setStopped(true); else if (arg === TCOON) tty.setStopped(false);
      return 0; // TCIOFF/TCION would send STOP/START characters: nothing listens to them here
    case TIOC.TCSBRK: case TIOC.TCSBRKP: case TIOC.TIOCSBRK: case TIOC.TIOCCBRK: slaveCheck(); return 0;
    case TIOC.TIOCGETD: m.writeI32(arg, 0); return 0; // N_TTY
    case TIOC.TIOCSETD: if (m.readI32(arg) !== 0) throw err(E.EINVAL); slaveCheck(); return 0;
    case TIOC.TIOCEXCL: tty.exclusive = true; return 0;
    case TIOC.TIOCNXCL: tty.exclusive = false; return 0;
    case TIOC.TIOCGEXCL: m.writeI32(arg, tty.exclusive ? 1 : 0); return 0;
    case TIOC.TIOCSTI: {
      if (!s.readable && !capable(t.creds, CAP.SYS_ADMIN)) throw err(E.EPERM);
      tty.input(m.read(arg, 1));
      return 0;
    }
  }
  if (!s.master) throw err(E.ENOTTY);
  switch (req) {
    case TIOC.TIOCGPTN: m.writeU32(arg, tty.index); return 0;
    case TIOC.TIOCSPTLCK: tty.locked = m.readI32(arg) !== 0; return 0;
    case TIOC.TIOCGPTLCK: m.writeI32(arg, tty.locked ? 1 : 0); return 0;
    case TIOC.TIOCPKT: tty.packet = m.readI32(arg) !== 0; return 0;
    case TIOC.TIOCGPKT: m.writeI32(arg, tty.packet ? 1 : 0); return 0;
    case TIOC.TIOCSIG: // pty_signal: only the keyboard's signals
      if (arg !== SIG.SIGINT && arg !== SIG.SIGQUIT && arg !== SIG.SIGTSTP) throw err(E.EINVAL);
      tty.signal(arg);
      return 0;
    case TIOC.TIOCGPTPEER: {
      if (!s.openPeer) throw err(E.EIO);
      const flags = arg & (O.ACCMODE | O.NONBLOCK | O.CLOEXEC | O.NOCTTY);
      return t.files.install(() => s.openPeer!(t, flags | O.NOCTTY), (flags & O.CLOEXEC) !== 0);
    }
  }
  throw err(E.ENOTTY);
}
