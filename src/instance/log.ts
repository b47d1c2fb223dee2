// The daemon's log ($PBASH_HOME/logs/daemon.log): one timestamped line per event, written synchronously
// so the last lines before an exit or a crash are never lost.
import fs from 'node:fs';
import path from 'node:path';

export type Log = (line: string) => void;

export function openLog(dir: string): Log {
  const fd = fs.openSync(path.join(dir, 'daemon.log'), 'a', 0o600);
  return (line) => {
    try { fs.writeSync(fd, `${new Date().toISOString()} [${process.pid}] ${line}\n`); } catch { /* disk full: keep serving */ }
  };
}
