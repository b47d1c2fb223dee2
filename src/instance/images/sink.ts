// What an image import writes into and an export reads from: a distro's filesystem seen as a tree of
// paths relative to its root ("" is the root; names are byte strings in latin1). VolFs implements both for
// installed distros; tests also use a host directory.
import type { EntryType } from './tar-format.js';

export interface Meta {
  /** Permission bits incl. setuid/setgid/sticky (07777). */
  mode: number;
  uid: number;
  gid: number;
  mtimeNs: bigint;
  xattrs: Map<string, Buffer>;
}

export interface ImageSink {
  /** Create or update a directory (an existing one keeps its entries). */
  dir(path: string, m: Meta): Promise<void> | void;
  /** Create or replace a regular file from its bytes. */
  file(path: string, m: Meta, body: AsyncIterable<Buffer>): Promise<void>;
  symlink(path: string, target: string, m: Meta): Promise<void> | void;
  /** `path` becomes another name of the non-directory at `existing`. */
  hardlink(path: string, existing: string): Promise<void> | void;
  node(path: string, m: Meta, type: 'char' | 'block' | 'fifo', major: number, minor: number): Promise<void> | void;
  /** A directory's mtime, set after its entries are written (writing them changed it). */
  dirTime(path: string, mtimeNs: bigint): Promise<void> | void;
  /** Make everything written durable. */
  finish(): Promise<void> | void;
}

/** One node of a tree being exported, in an order where directories precede their entries. */
export interface SourceEntry {
  path: string;
  type: Exclude<EntryType, 'hardlink'>;
  meta: Meta;
  /** Identity for hard-link detection (st_dev/st_ino style), and the link count. */
  id: string;
  nlink: number;
  size: number;
  linkTarget: string;
  major: number;
  minor: number;
  contents(): AsyncIterable<Buffer>;
}

export interface ImageSource {
  walk(): AsyncIterable<SourceEntry>;
}
