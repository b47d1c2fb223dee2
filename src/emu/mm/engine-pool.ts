// Engines of ended address spaces, kept for the next execve or fork. Unicorn translates guest code per
// engine, and translation was half of what a spawn cost: a reused engine keeps the code of its last
// process, and what the new process maps at the same addresses with the same bytes (ld.so, libc, the
// same program again) runs without being translated again (src/emu/native/src/engine_code.cc says when
// code survives). An engine last used for the same program is preferred.
import { Engine } from '../cpu/engine.js';
import type { Block } from './backing.js';

interface Pooled { engine: Engine; blocks: Block[]; image: string; since: number; }

/** Engines kept (each holds its code pages and the translated code: a few MiB). */
const MAX_POOLED = 4;
/** An engine with more blocks is not kept: every block stays mapped for the next process. */
const MAX_BLOCKS = 64;
/**
 * Uses of one engine before it is closed: Unicorn reclaims the space of dropped translations only when
 * its code buffer is full (1 GiB), so an engine that keeps translating for new programs keeps growing.
 */
const MAX_USES = 32;
/** Engines unused this long are closed (their memory returns to the host). */
const IDLE_MS = 30_000;

const pool: Pooled[] = [];
let sweeper: NodeJS.Timeout | null = null;

/** An engine for a new address space running `image`: a kept one (same image preferred) or a new one. */
export function takeEngine(image: string): { engine: Engine; blocks: Block[] } {
  let i = pool.length - 1;
  while (i >= 0 && pool[i].image !== image) i--;
  if (i < 0) i = pool.length - 1;
  if (i < 0) return { engine: new Engine(), blocks: [] };
  const [p] = pool.splice(i, 1);
  return { engine: p.engine, blocks: p.blocks };
}

/**
 * Keep the engine of an ended address space (blocks: all it maps). False when it is not kept: the
 * caller releases it. A kept engine is recycled at once, and `engine` is closed from then on.
 */
export function giveEngine(engine: Engine, blocks: Block[], image: string): boolean {
  if (!(engine instanceof Engine) || engine.uses >= MAX_USES || blocks.length > MAX_BLOCKS) return false;
  let next: Engine;
  try {
    next = engine.recycle();
  } catch {
    return false; // running, or already closed: not reusable
  }
  pool.push({ engine: next, blocks, image, since: performance.now() });
  if (pool.length > MAX_POOLED) release(pool.shift()!);
  sweeper ??= setInterval(sweep, IDLE_MS / 2).unref();
  return true;
}

/** Close a kept engine: its blocks go with it (the Block views stay valid memory until collected). */
function release(p: Pooled): void { p.engine.close(); }

function sweep(): void {
  const old = performance.now() - IDLE_MS;
  for (let i = pool.length - 1; i >= 0; i--) if (pool[i].since < old) release(pool.splice(i, 1)[0]);
  if (pool.length === 0 && sweeper) { clearInterval(sweeper); sweeper = null; }
}
