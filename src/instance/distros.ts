// The distro registry and the kernel of each running distro. For now a distro is a host directory used as
// the root filesystem: `--root DIR` launches register it under its absolute path; `set-default` picks the
// one bare `pbash` uses. The VolFs issue will add installed distros (their own store) to the same map.
import fs from 'node:fs';
import path from 'node:path';
import type { Kernel } from '../emu/kernel/kernel.js';

export interface DistroEntry { name: string; root: string; }
interface RegistryFile { default?: string; distros: Record<string, { root: string }>; }

export class DistroError extends Error {}

export class Distros {
  private reg: RegistryFile;
  /** One kernel per running distro, keyed by distro name. */
  private readonly kernels = new Map<string, Kernel>();

  constructor(private readonly file: string, private readonly makeKernel: (d: DistroEntry) => Kernel) {
    this.reg = load(file);
  }

  /** The distro a launch means: --root DIR, -d NAME, or the default. Registers --root directories. */
  resolve(o: { root?: string; distro?: string }): DistroEntry {
    if (o.root !== undefined) return this.register(o.root);
    const name = o.distro ?? this.reg.default;
    if (name === undefined) throw new DistroError('no distribution is installed yet: give a root filesystem with --root DIR');
    const d = this.reg.distros[name];
    if (!d) throw new DistroError(`no distribution named ${name} (see pbash list)`);
    return { name, root: d.root };
  }

  /** The running kernel of a distro, booted on first use. */
  kernel(d: DistroEntry): Kernel {
    let k = this.kernels.get(d.name);
    if (!k) { k = this.makeKernel(d); this.kernels.set(d.name, k); }
    return k;
  }

  running(): Array<DistroEntry & { kernel: Kernel }> {
    return [...this.kernels].map(([name, kernel]) => ({ name, root: this.reg.distros[name]?.root ?? name, kernel }));
  }

  runningKernel(name: string): Kernel | undefined { return this.kernels.get(name); }
  /** Forget a distro's kernel once its processes are gone (terminate): the next launch boots a fresh one. */
  drop(name: string): void { this.kernels.delete(name); }

  list(): Array<DistroEntry & { default: boolean; running: boolean }> {
    return Object.entries(this.reg.distros).map(([name, d]) =>
      ({ name, root: d.root, default: name === this.reg.default, running: this.kernels.has(name) }));
  }

  /** A registered name, or a directory (registered under its absolute path). */
  setDefault(name: string): DistroEntry {
    const d = this.reg.distros[name] ? { name, root: this.reg.distros[name].root } : this.register(name);
    this.reg.default = d.name;
    this.save();
    return d;
  }

  /** A registered distro's name from a name or a root directory (its absolute path); DistroError if none. */
  nameOf(nameOrDir: string): string {
    if (this.reg.distros[nameOrDir] || this.kernels.has(nameOrDir)) return nameOrDir;
    const abs = path.resolve(nameOrDir);
    if (this.reg.distros[abs] || this.kernels.has(abs)) return abs;
    throw new DistroError(`no distribution named ${nameOrDir} (see pbash list)`);
  }

  private register(dir: string): DistroEntry {
    const root = path.resolve(dir);
    let st;
    try { st = fs.statSync(root); } catch { throw new DistroError(`${dir}: no such directory`); }
    if (!st.isDirectory()) throw new DistroError(`${dir}: not a directory`);
    if (!this.reg.distros[root]) {
      this.reg.distros[root] = { root };
      this.save();
    }
    return { name: root, root };
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
