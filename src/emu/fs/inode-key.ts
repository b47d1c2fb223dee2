// The identity of an inode as (st_dev, st_ino), as a string key: what locks and inotify watches are keyed by,
// so they work the same on every filesystem and two opens (or two lookups) of one file meet.
import type { OpenFile } from './file.js';
import type { Node } from './node.js';

const fileKeys = new WeakMap<OpenFile, string>();

/** An open file's inode key; stable while it is open, so computed once (it stays known after the last close). */
export function inodeKey(f: OpenFile): string {
  let k = fileKeys.get(f);
  if (k === undefined) {
    const st = f.stat();
    k = `${st.dev}:${st.ino}`;
    fileKeys.set(f, k);
  }
  return k;
}

/** A node's inode key, read now (a node found by a path may be a different inode tomorrow). */
export function nodeKey(n: Node): string {
  const st = n.stat();
  return `${st.dev}:${st.ino}`;
}
