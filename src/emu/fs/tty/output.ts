// Output post-processing of a terminal (drivers/tty/n_tty.c do_output_char / process_output_block):
// OPOST with ONLCR, OCRNL, ONOCR, ONLRET, OLCUC, XTABS, and the cursor column echo erasing relies on.
import { IFLAG, OFLAG, type Termios } from './termios.js';

const NL = 10, CR = 13, TAB = 9, BS = 8;

export class OutputProcessor {
  /** Cursor column as the line discipline tracks it (for erasing tabs). */
  column = 0;

  /** The bytes to send for `data` under `t` (a copy: `data` may be a view of guest memory). */
  process(t: Termios, data: Uint8Array): Uint8Array {
    if (!(t.oflag & OFLAG.OPOST)) return Uint8Array.from(data);
    const o = t.oflag;
    // fast path: nothing but printable bytes (the common case of plain text without newlines)
    let plain = true;
    for (let i = 0; i < data.length; i++) {
      const c = data[i];
      if (c < 32 || c === 127 || (o & OFLAG.OLCUC && c >= 97 && c <= 122)) { plain = false; break; }
    }
    if (plain) { this.column += this.width(t, data); return Uint8Array.from(data); }
    const out: number[] = [];
    for (let i = 0; i < data.length; i++) this.char(t, data[i], out);
    return Uint8Array.from(out);
  }

  /** One byte through do_output_char. */
  char(t: Termios, c: number, out: number[]): void {
    const o = t.oflag;
    if (!(o & OFLAG.OPOST)) { out.push(c); return; }
    switch (c) {
      case NL:
        if (o & OFLAG.ONLRET) this.column = 0;
        if (o & OFLAG.ONLCR) { this.column = 0; out.push(CR, NL); return; }
        out.push(NL);
        return;
      case CR:
        if (o & OFLAG.ONOCR && this.column === 0) return;
        if (o & OFLAG.OCRNL) { if (o & OFLAG.ONLRET) this.column = 0; out.push(NL); return; }
        this.column = 0;
        out.push(CR);
        return;
      case TAB: {
        const spaces = 8 - (this.column & 7);
        this.column += spaces;
        if ((o & OFLAG.TABDLY) === OFLAG.XTABS) { for (let i = 0; i < spaces; i++) out.push(32); return; }
        out.push(TAB);
        return;
      }
      case BS:
        if (this.column > 0) this.column--;
        out.push(BS);
        return;
      default:
        if (c >= 32 && c !== 127) {
          if (o & OFLAG.OLCUC && c >= 97 && c <= 122) c -= 32;
          if (!((t.iflag & IFLAG.IUTF8) && (c & 0xc0) === 0x80)) this.column++;
        }
        out.push(c);
    }
  }

  private width(t: Termios, data: Uint8Array): number {
    if (!(t.iflag & IFLAG.IUTF8)) return data.length;
    let n = 0;
    for (let i = 0; i < data.length; i++) if ((data[i] & 0xc0) !== 0x80) n++;
    return n;
  }
}
