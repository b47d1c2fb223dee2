// The instance daemon: one per user and PBASH_HOME. It holds run/daemon.lock for its whole life, listens
// on a Unix socket (0600, in a 0700 directory) and publishes run/instance.json (pid, version, socket,
// token) once it accepts connections. After its last client leaves it waits the idle grace, then ends
// every Linux process (SIGTERM, SIGKILL after a grace) and exits. A newer pbash replacing it sends
// SIGUSR2: it retires (stops listening, gives up the run directory) and exits once its own clients are gone.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { PROTOCOL_VERSION, type ImageRequest, type Progress, type Reply, type Request } from '../interop/protocol/messages.js';
import { ensureDirs, pidAlive, readInfo, tryLock, unlock, writeInfo, type HomePaths } from '../interop/run-dir.js';
import { serveConnection, type ConnectionOwner } from './client-conn.js';
import { control, status, type ControlContext } from './control.js';
import type { Snapshot } from '../interop/protocol/status.js';
import { Distros } from './distros.js';
import { imageOp } from './images/operations.js';
import { bootDistro } from './distro-boot.js';
import { openMetadataStore } from './drvfs-metadata.js';
import type { MetadataStore } from '../emu/fs/drvfs/drvfs.js';
import { openVolfsStore } from './images/volfs-store.js';
import type { ByteChannel } from '../interop/byte-channel.js';
import type { Log } from './log.js';
import { endProcesses } from './reaper.js';
import type { Session } from './session.js';

export interface DaemonOptions { paths: HomePaths; version: string; idleMs: number; log: Log; strace?: boolean; }

const REPLACE_WAIT_MS = 5000;
/** The package root: src/instance/ (tests) and dist/instance/ (built) both sit two levels below it. */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export class Daemon implements ConnectionOwner {
  readonly token = randomBytes(32).toString('hex');
  readonly version: string;
  readonly sessions = new Set<Session>();
  readonly distros: Distros;
  readonly log: Log;
  private readonly server = net.createServer((s) => this.accept(s));
  private readonly sockets = new Set<net.Socket>();
  private clients = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private retired = false;
  private stopping: Promise<void> | null = null;
  private readonly startedAt = Date.now();
  /** DrvFs's metadata store, opened when a distro first mounts with the metadata option. */
  private metadata: MetadataStore | null = null;

  constructor(private readonly o: DaemonOptions) {
    this.version = o.version;
    this.log = o.log;
    this.distros = new Distros(`${o.paths.home}/distros.json`, (d) => bootDistro(d, {
      strace: o.strace, log: (l) => this.log(`[${d.name}] ${l}`),
      metadata: () => (this.metadata ??= openMetadataStore(path.join(o.paths.home, 'drvfs-metadata.db'))),
    }));
  }

  /** Take the run directory and listen. False when another live daemon of this version already serves. */
  async start(): Promise<boolean> {
    const p = this.o.paths;
    ensureDirs(p);
    if (!(await this.takeLock())) return false;
    try { fs.unlinkSync(p.socket); } catch { /* none: fine */ }
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(p.socket, () => { this.server.off('error', reject); resolve(); });
    });
    fs.chmodSync(p.socket, 0o600);
    writeInfo(p, {
      pid: process.pid, version: this.version, protocol: PROTOCOL_VERSION, socket: p.socket, token: this.token,
      startedAt: this.startedAt,
    });
    this.log(`instance ${this.version} (protocol ${PROTOCOL_VERSION}) listening on ${p.socket}; idle grace ${this.o.idleMs} ms`);
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => this.shutdown(`host ${sig}`));
    process.on('SIGUSR2', () => this.retire());
    this.armIdle();
    return true;
  }

  /** run/daemon.lock: ours, or held by a live daemon of this version (false), or by an older one (replace it). */
  private async takeLock(): Promise<boolean> {
    const p = this.o.paths;
    const until = Date.now() + REPLACE_WAIT_MS;
    let asked = 0;
    while (!tryLock(p.daemonLock)) {
      const holder = Number(fs.readFileSync(p.daemonLock, { encoding: 'utf8', flag: 'r' }) || 0);
      const info = readInfo(p);
      const same = info && info.pid === holder && info.version === this.version && info.protocol === PROTOCOL_VERSION;
      if (same && pidAlive(holder)) { this.log(`instance ${holder} already serves this PBASH_HOME: exiting`); return false; }
      if (holder && asked !== holder && pidAlive(holder)) {
        this.log(`replacing instance ${holder} (${info?.pid === holder ? `version ${info.version}` : 'unpublished'})`);
        try { process.kill(holder, 'SIGUSR2'); } catch { /* gone */ }
        asked = holder;
      }
      if (Date.now() > until) { this.log(`instance ${holder} holds ${p.daemonLock} and does not let go: exiting`); return false; }
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    if (this.stopping) { socket.destroy(); return; }
    serveConnection(socket, this);
  }

  joined(): void {
    this.clients++;
    if (this.idleTimer) { clearTimeout(this.idleTimer); this.idleTimer = null; }
  }

  left(): void {
    this.clients--;
    this.armIdle();
  }

  private armIdle(): void {
    if (this.clients > 0 || this.stopping || this.idleTimer) return;
    const ms = this.retired ? 0 : this.o.idleMs;
    this.idleTimer = setTimeout(() => { this.idleTimer = null; this.shutdown(`idle for ${ms} ms`); }, ms);
  }

  request(req: Request): Promise<Reply> { return control(this.controlContext(), req); }

  snapshot(): Snapshot { return status(this.controlContext()); }

  private controlContext(): ControlContext {
    return {
      distros: this.distros, sessions: this.sessions, startedAt: this.startedAt, version: this.version,
      idleMs: this.o.idleMs, clients: () => this.clients, log: this.log,
    };
  }

  imageOp(req: ImageRequest, chan: ByteChannel, progress: (p: Progress) => void): Promise<Reply> {
    return imageOp({
      distros: this.distros, distroHome: path.join(this.o.paths.home, 'distros'), packageRoot: PACKAGE_ROOT,
      openStore: openVolfsStore, log: this.log,
    }, req, chan, progress);
  }

  /** A newer instance takes over the run directory; we serve our clients until they leave. */
  private retire(): void {
    if (this.retired) return;
    this.retired = true;
    this.log('retiring: a newer instance takes over');
    this.server.close();
    this.releaseRunDir();
    if (this.idleTimer) { clearTimeout(this.idleTimer); this.idleTimer = null; }
    this.armIdle();
  }

  /** Remove what we published, but never what a newer instance has put there since. */
  private releaseRunDir(): void {
    const p = this.o.paths;
    if (readInfo(p)?.pid === process.pid) {
      try { fs.unlinkSync(p.socket); } catch { /* gone */ }
      try { fs.unlinkSync(p.info); } catch { /* gone */ }
    }
    unlock(p.daemonLock);
  }

  shutdown(reason: string): Promise<void> {
    this.stopping ??= (async () => {
      this.log(`shutting down: ${reason}`);
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.server.close();
      if (!this.retired) this.releaseRunDir();
      const kernels = this.distros.running().map((d) => d.kernel);
      const clean = await endProcesses(kernels);
      if (!clean) this.log('some Linux processes did not end after SIGKILL');
      else for (const d of this.distros.running()) this.distros.drop(d.name);
      // sessions have sent their exit statuses as their processes ended; give the sockets a moment to flush
      await new Promise((r) => setTimeout(r, 50));
      for (const s of this.sockets) s.destroy();
      this.log('exit');
      process.exit(0);
    })();
    return this.stopping;
  }
}
