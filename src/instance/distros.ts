// The distro registry and the kernel of each running distro. A distro is either a host directory used as
// the root filesystem (`--root DIR` launches register it under its absolute path) or an installed distro
// with its own VolFs store (install, import). `set-default` picks the one bare `pbash` uses. Image
// operations run one at a time (exclusive) and launches wait for them (whenIdle).
import fs from 'node:fs';
import path from 'node:path';
import type { Kernel } from '../emu/kernel/kernel.js';
import type { BootedDistro } from './distro-boot.js';

/** `dir`: a host directory served as is (hostfs); `volfs`: an installed distro's store directory. */
export type DistroKind = 'dir' | 'volfs';
export interface DistroEntry { name: string; root: string; kind: DistroKind; }
interface RegistryFile { default?: string; distros: Record<string, { root: string; kind?: DistroKind }>; }

/** Names of installed distros: what a user can type, and safe as a directory name. */
export const DISTRO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class DistroError extends Error {}

export class Distros {
  private reg: RegistryFile;
  /** One kernel per running distro, keyed by distro name, with the config it booted with. */
  private readonly live = new Map<string, BootedDistro>();
  private ops: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(private readonly file: string, private readonly boot: (d: DistroEntry) => BootedDistro) {
    this.reg = load(file);
  }

  /** The distro a launch means: --root DIR, -d NAME, or the default. Registers --root directories. */
  resolve(o: { root?: string; distro?: string }): DistroEntry {
    if (o.root !== undefined) return this.register(o.root);
    const name = o.distro ?? this.reg.default;
    if (name === undefined) throw new DistroError('no distribution is installed yet: give a root filesystem with --root DIR');
    return this.entry(name);
  }

  private entry(name: string): DistroEntry {
    const d = this.reg.distros[name];
    if (!d) throw new DistroError(`no distribution named ${name} (see pbash list)`);
    return { name, root: d.root, kind: d.kind ?? 'dir' };
  }

  /** Run an image operation after the ones before it; launches wait until none is pending. */
  exclusive<T>(op: () => Promise<T>): Promise<T> {
    this.pending++;
    const run = this.ops.then(op, op);
    this.ops = run.then(() => { this.pending--; }, () => { this.pending--; });
    return run;
  }

  /** Resolves when no image operation is pending (at once when none is). */
  async whenIdle(): Promise<void> { while (this.pending > 0) await this.ops; }
  get busy(): boolean { return this.pending > 0; }

  has(name: string): boolean { return name in this.reg.distros; }

  /** Register an installed distro; the first one becomes the default. */
  add(name: string, root: string, kind: DistroKind): DistroEntry {
    if (this.has(name)) throw new DistroError(`a distribution named ${name} already exists`);
    this.reg.distros[name] = { root, kind };
    this.reg.default ??= name;
    this.save();
    return { name, root, kind };
  }

  /** Forget a distro (its kernel must be gone); the default moves to another one if it was this. */
  remove(name: string): DistroEntry {
    const d = this.entry(name);
    delete this.reg.distros[name];
    if (this.reg.default === name) this.reg.default = Object.keys(this.reg.distros).find((n) => this.reg.distros[n]!.kind === 'volfs');
    this.save();
    return d;
  }

  get(name: string): DistroEntry { return this.entry(this.nameOf(name)); }

  /** The running kernel of a distro and its config, booted on first use. */
  booted(d: DistroEntry): BootedDistro {
    let b = this.live.get(d.name);
    if (!b) { b = this.boot(d); this.live.set(d.name, b); }
    return b;
  }

  running(): Array<DistroEntry & { kernel: Kernel }> {
    return [...this.live].map(([name, b]) => ({
      name, root: this.reg.distros[name]?.root ?? name, kind: this.reg.distros[name]?.kind ?? 'dir', kernel: b.kernel,
    }));
  }

  runningKernel(name: string): Kernel | undefined { return this.live.get(name)?.kernel; }
  /** Forget a distro's kernel once its processes are gone (terminate): its filesystems are closed (a VolFs
   *  store marked cleanly closed), and the next launch boots a fresh one. */
  drop(name: string): void {
    const k = this.live.get(name)?.kernel;
    this.live.delete(name);
    for (const m of k?.vfs.mounts.all() ?? []) m.fs.close?.();
  }

  list(): Array<DistroEntry & { default: boolean; running: boolean }> {
    return Object.entries(this.reg.distros).map(([name, d]) =>
      ({ name, root: d.root, kind: d.kind ?? 'dir', default: name === this.reg.default, running: this.live.has(name) }));
  }

  /** A registered name, or a directory (registered under its absolute path). */
  setDefault(name: string): DistroEntry {
    const d = this.reg.distros[name] ? this.entry(name) : this.register(name);
    this.reg.default = d.name;
    this.save();
    return d;
  }

  /** A registered distro's name from a name or a root directory (its absolute path); DistroError if none. */
  nameOf(nameOrDir: string): string {
    if (this.reg.distros[nameOrDir] || this.live.has(nameOrDir)) return nameOrDir;
    const abs = path.resolve(nameOrDir);
    if (this.reg.distros[abs] || this.live.has(abs)) return abs;
    throw new DistroError(`no distribution named ${nameOrDir} (see pbash list)`);
  }

  private register(dir: string): DistroEntry {
    const root = path.resolve(dir);
    let st;
    try { st = fs.statSync(root); } catch { throw new DistroError(`${dir}: no such directory`); }
    if (!st.isDirectory()) throw new DistroError(`${dir}: not a directory`);
    if (!this.reg.distros[root]) {
      this.reg.distros[root] = { root, kind: 'dir' };
      this.save();
    }
    return { name: root, root, kind: 'dir' };
  }

  private save(): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.reg, null, 2) + '\n', { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}

function load(file: string): RegistryFile {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as RegistryFile;
    if (v && typeof v.distros === 'object') return v;
  } catch { /* none yet, or unreadable: start empty */ }
  return { distros: {} };
}
