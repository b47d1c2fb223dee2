// Echo and the canonical edit line of N_TTY (drivers/tty/n_tty.c echo_char, eraser, reprint):
// ECHOCTL (^X), ECHOE/ECHOKE visual erase incl. tabs, ECHOK, ECHOPRT (\erased/), WERASE, LNEXT, REPRINT.
import type { LdiscHost } from './ldisc.js';
import { IFLAG, LFLAG, VERASE, VKILL } from './termios.js';

export const isCntrl = (c: number): boolean => c < 32 || c === 127;
const NL = 10, TAB = 9, BS = 8;
const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

export class Echo {
  /** The line being edited (not yet readable). */
  line: number[] = [];
  private pending: number[] = [];
  /** Column where the edit line started (echo_set_canon_col), for erasing tabs. */
  private canonColumn = 0;
  /** Inside an ECHOPRT erase sequence (a '\' was printed). */
  private erasing = false;

  constructor(private readonly host: LdiscHost) {}

  /** Deliver the echoes produced so far. */
  flush(): void {
    if (!this.pending.length) return;
    const out = Uint8Array.from(this.pending);
    this.pending = [];
    this.host.echo(out);
  }

  /** echo_char_raw: the byte through output processing. */
  raw(c: number): void {
    this.finishErasing();
    this.host.output.char(this.host.termios, c, this.pending);
  }

  /** echo_char: control characters as ^X with ECHOCTL (tab excepted). */
  char(c: number): void {
    this.finishErasing();
    this.ctl(c);
  }

  private ctl(c: number): void {
    const t = this.host.termios;
    if (t.lflag & LFLAG.ECHOCTL && isCntrl(c) && c !== TAB) {
      this.host.output.char(t, 94, this.pending);
      this.host.output.char(t, c ^ 0o100, this.pending);
    } else this.host.output.char(t, c, this.pending);
  }

  /** Echo of a character entering the line: the line's first one fixes the canonical column. */
  input(c: number): void {
    if (!this.line.length) this.canonColumn = this.host.output.column;
    this.char(c);
  }

  add(c: number): void { this.line.push(c); }
  clearLine(): void { this.line = []; this.erasing = false; }

  /** LNEXT with ECHO and ECHOCTL shows "^" and backs up over it. */
  lnextMark(): void {
    const l = this.host.termios.lflag;
    if (!(l & LFLAG.ECHO)) return;
    this.finishErasing();
    if (l & LFLAG.ECHOCTL) { this.raw(94); this.raw(BS); }
  }

  /** REPRINT: the character, a newline, then the line so far. */
  reprint(c: number): void {
    this.char(c);
    this.raw(NL);
    this.canonColumn = this.host.output.column;
    for (const b of this.line) this.ctl(b);
  }

  private finishErasing(): void {
    if (!this.erasing) return;
    this.erasing = false;
    this.host.output.char(this.host.termios, 47, this.pending); // '/'
  }

  /** n_tty eraser(): ERASE one character, WERASE a word, KILL the line, echoing per ECHO/ECHOE/ECHOK/ECHOKE/ECHOPRT. */
  erase(kind: 'erase' | 'werase' | 'kill', c: number): void {
    const t = this.host.termios, l = t.lflag;
    if (!this.line.length) return;
    if (kind === 'kill') {
      if (!(l & LFLAG.ECHO)) { this.line = []; return; }
      if (!(l & LFLAG.ECHOK) || !(l & LFLAG.ECHOKE) || !(l & LFLAG.ECHOE)) {
        this.line = [];
        this.char(t.cc[VKILL]);
        if (l & LFLAG.ECHOK) this.raw(NL);
        return;
      }
    }
    let seenAlnums = 0;
    while (this.line.length) {
      let start = this.line.length - 1;
      if (t.iflag & IFLAG.IUTF8) while (start > 0 && (this.line[start] & 0xc0) === 0x80) start--;
      const ch = this.line[start];
      if (kind === 'werase') {
        if (isAlnum(ch) || ch === 95) seenAlnums++;
        else if (seenAlnums) break;
      }
      const removed = this.line.splice(start);
      if (l & LFLAG.ECHO) this.echoErase(kind, ch, removed, c);
      if (kind === 'erase') break;
    }
    if (!this.line.length && l & LFLAG.ECHO) this.finishErasing();
  }

  private echoErase(kind: string, ch: number, removed: number[], c: number): void {
    const t = this.host.termios, l = t.lflag;
    if (l & LFLAG.ECHOPRT) {
      if (!this.erasing) { this.host.output.char(t, 92, this.pending); this.erasing = true; }
      for (const b of removed) this.ctl(b);
      return;
    }
    if (kind === 'erase' && !(l & LFLAG.ECHOE)) { this.char(t.cc[VERASE] === c ? c : t.cc[VERASE]); return; }
    if (ch === TAB) {
      // the column after the remaining line, from the line's start: back up to it
      let col = this.canonColumn;
      for (const b of this.line) {
        if (b === TAB) col = (col | 7) + 1;
        else if (isCntrl(b)) { if (l & LFLAG.ECHOCTL) col += 2; }
        else if (!((t.iflag & IFLAG.IUTF8) && (b & 0xc0) === 0x80)) col++;
      }
      const back = Math.max(0, this.host.output.column - col);
      for (let i = 0; i < back; i++) this.host.output.char(t, BS, this.pending);
      return;
    }
    const rubout = (): void => { for (const b of [BS, 32, BS]) this.host.output.char(t, b, this.pending); };
    if (isCntrl(ch) && l & LFLAG.ECHOCTL) rubout();
    if (!isCntrl(ch) || l & LFLAG.ECHOCTL) rubout();
  }
}
