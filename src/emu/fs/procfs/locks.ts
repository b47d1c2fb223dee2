// /proc/locks (fs/locks.c locks_show/lock_get_status): every flock, POSIX and OFD lock held now, newest first,
// one line each: id, kind, ADVISORY, READ/WRITE, the owner's pid (-1 for OFD locks), MAJOR:MINOR:INO, the range.
import { lockContexts } from '../locks/inode-locks.js';
import { F_WRLCK, OFFSET_MAX } from '../locks/posix.js';

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

export function locksText(): string {
  const lines: { seq: number; text: string }[] = [];
  for (const c of lockContexts()) {
    const [dev, ino] = c.key.split(':').map(Number) as [number, number];
    // new_encode_dev: the major in bits 8-19, the minor in bits 0-7 and 20-31
    const inode = `${hex2((dev >>> 8) & 0xfff)}:${hex2((dev & 0xff) | ((dev >>> 12) & 0xfff00))}:${ino}`;
    for (const l of c.flocks) lines.push({ seq: l.seq, text: `FLOCK  ADVISORY  ${l.exclusive ? 'WRITE' : 'READ'} ${l.pid} ${inode} 0 EOF` });
    for (const r of c.ranges) {
      const range = r.end >= OFFSET_MAX ? `${r.start} EOF` : `${r.start} ${r.end}`;
      lines.push({ seq: r.seq, text: `${r.ofd ? 'OFDLCK' : 'POSIX '} ADVISORY  ${r.type === F_WRLCK ? 'WRITE' : 'READ'} ${r.ofd ? -1 : r.pid} ${inode} ${range}` });
    }
  }
  return lines.sort((a, b) => b.seq - a.seq).map((l, i) => `${i + 1}: ${l.text}\n`).join('');
}
