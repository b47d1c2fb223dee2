// struct termios / termios2 and their flags as the x86-64 kernel ABI defines them
// (include/uapi/asm-generic/termbits.h, termbits-common.h, ioctls.h) and tty_std_termios (drivers/tty/tty_io.c).
import type { GuestMemory } from '../../mm/guest-memory.js';

export const IFLAG = {
  IGNBRK: 0o1, BRKINT: 0o2, IGNPAR: 0o4, PARMRK: 0o10, INPCK: 0o20, ISTRIP: 0o40, INLCR: 0o100, IGNCR: 0o200,
  ICRNL: 0o400, IUCLC: 0o1000, IXON: 0o2000, IXANY: 0o4000, IXOFF: 0o10000, IMAXBEL: 0o20000, IUTF8: 0o40000,
} as const;
export const OFLAG = { OPOST: 0o1, OLCUC: 0o2, ONLCR: 0o4, OCRNL: 0o10, ONOCR: 0o20, ONLRET: 0o40, TABDLY: 0o14000, XTABS: 0o14000 } as const;
export const CFLAG = { B38400: 0o17, CBAUD: 0o10017, CS8: 0o60, CREAD: 0o200, HUPCL: 0o2000, CLOCAL: 0o4000, BOTHER: 0o10000 } as const;
export const LFLAG = {
  ISIG: 0o1, ICANON: 0o2, XCASE: 0o4, ECHO: 0o10, ECHOE: 0o20, ECHOK: 0o40, ECHONL: 0o100, NOFLSH: 0o200,
  TOSTOP: 0o400, ECHOCTL: 0o1000, ECHOPRT: 0o2000, ECHOKE: 0o4000, FLUSHO: 0o10000, PENDIN: 0o40000,
  IEXTEN: 0o100000, EXTPROC: 0o200000,
} as const;

/** Indexes into c_cc. */
export const VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSWTC = 7, VSTART = 8,
  VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12, VDISCARD = 13, VWERASE = 14, VLNEXT = 15, VEOL2 = 16;
/** The kernel's NCCS (glibc's struct termios has 32, converted by tcgetattr). */
export const NCCS = 19;
/** Bytes of struct termios and struct termios2. */
export const TERMIOS_SIZE = 36;
export const TERMIOS2_SIZE = 44;
/** A disabled control character (_POSIX_VDISABLE). */
export const VDISABLE = 0;

export interface Termios {
  iflag: number; oflag: number; cflag: number; lflag: number; line: number;
  cc: Uint8Array;
  ispeed: number; ospeed: number;
}

/** INIT_C_CC: ^C ^\ DEL ^U ^D, TIME 0, MIN 1, ^Q ^S ^Z, REPRINT ^R, DISCARD ^O, WERASE ^W, LNEXT ^V. */
const INIT_C_CC = [3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0];

/** The termios of a fresh pty slave (drivers/tty/pty.c: tty_std_termios with cflag B38400|CS8|CREAD). */
export function defaultTermios(): Termios {
  const cc = new Uint8Array(NCCS);
  cc.set(INIT_C_CC);
  return {
    iflag: IFLAG.ICRNL | IFLAG.IXON,
    oflag: OFLAG.OPOST | OFLAG.ONLCR,
    cflag: CFLAG.B38400 | CFLAG.CS8 | CFLAG.CREAD,
    lflag: LFLAG.ISIG | LFLAG.ICANON | LFLAG.ECHO | LFLAG.ECHOE | LFLAG.ECHOK | LFLAG.ECHOCTL | LFLAG.ECHOKE | LFLAG.IEXTEN,
    line: 0, cc, ispeed: 38400, ospeed: 38400,
  };
}

/** The master side's termios (pty.c unix98_pty_init: everything off but CS8|CREAD). */
export function masterTermios(): Termios {
  return { ...defaultTermios(), iflag: 0, oflag: 0, lflag: 0, cc: defaultTermios().cc };
}

export const cloneTermios = (t: Termios): Termios => ({ ...t, cc: Uint8Array.from(t.cc) });

/** Baud rates of the CBAUD codes (B0..B38400, then CBAUDEX B57600..B4000000). */
const BAUD = [0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400,
  57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000,
  3000000, 3500000, 4000000];
export function baudOf(cflag: number): number {
  const code = cflag & CFLAG.CBAUD;
  const i = code & CFLAG.BOTHER ? 15 + (code & 0o17) : code;
  return BAUD[i] ?? 38400;
}

/** Read a struct termios (or termios2 with its explicit speeds) from guest memory. */
export function readTermios(mem: GuestMemory, addr: number, v2: boolean): Termios {
  const b = mem.read(addr, v2 ? TERMIOS2_SIZE : TERMIOS_SIZE);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const cflag = dv.getUint32(8, true);
  const speed = baudOf(cflag);
  return {
    iflag: dv.getUint32(0, true), oflag: dv.getUint32(4, true), cflag, lflag: dv.getUint32(12, true),
    line: b[16], cc: b.slice(17, 17 + NCCS),
    ispeed: v2 ? dv.getUint32(36, true) : speed, ospeed: v2 ? dv.getUint32(40, true) : speed,
  };
}

export function writeTermios(mem: GuestMemory, addr: number, t: Termios, v2: boolean): void {
  const b = new Uint8Array(v2 ? TERMIOS2_SIZE : TERMIOS_SIZE);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, t.iflag, true); dv.setUint32(4, t.oflag, true); dv.setUint32(8, t.cflag, true);
  dv.setUint32(12, t.lflag, true);
  b[16] = t.line;
  b.set(t.cc.subarray(0, NCCS), 17);
  if (v2) { dv.setUint32(36, t.ispeed, true); dv.setUint32(40, t.ospeed, true); }
  mem.write(addr, b);
}
