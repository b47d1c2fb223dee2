// A framed connection over a stream socket, used by both ends. Frames written in one tick are corked
// into one write (a guest printing line by line makes many small frames). A framing error ends this
// connection only, reported once through onError.
import type { Socket } from 'node:net';
import { FrameDecoder, type Frame } from './frame.js';

export interface ConnectionHandlers {
  frame(f: Frame): void;
  /** A framing or handler error; the connection is being destroyed. */
  error?(e: Error): void;
  /** The peer closed or the socket failed (after error, if any). Called once. */
  close?(): void;
}

export class FramedConnection {
  private readonly decoder: FrameDecoder;
  private corked = false;
  private closed = false;
  #handlers: ConnectionHandlers;
  /** Frames received while held (see hold), delivered when the next handlers are set. */
  private held: Frame[] | null = null;

  constructor(readonly socket: Socket, handlers: ConnectionHandlers, maxFrame?: number) {
    this.#handlers = handlers;
    this.decoder = new FrameDecoder(maxFrame);
    socket.on('data', (b: Buffer) => this.receive(b));
    socket.on('end', () => {
      try { this.decoder.end(); } catch (e) { this.fail(e as Error); return; }
      this.socket.end();
    });
    socket.on('error', () => { /* 'close' follows; an abrupt peer is reported as a close */ });
    socket.on('close', () => this.finish());
  }

  get handlers(): ConnectionHandlers { return this.#handlers; }
  set handlers(h: ConnectionHandlers) {
    this.#handlers = h;
    const held = this.held;
    if (!held) return;
    this.held = null;
    this.deliver(held, true);
    if (this.closed) h.close?.(); // the close came while frames were held: it follows them
  }

  /**
   * Keep the frames that follow for the next handlers (a handshake's last frame: what comes behind it in
   * the same read belongs to whoever takes the connection over).
   */
  hold(): void { this.held ??= []; }

  get isClosed(): boolean { return this.closed; }
  /** Bytes queued in the socket and not yet taken by the OS. */
  get backlog(): number { return this.socket.writableLength; }

  /** Send a frame; `rest` continues it (a payload written as is, without copying it into the frame). */
  send(frame: Buffer, rest?: Buffer): void {
    if (this.closed || this.socket.destroyed) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => { this.corked = false; this.socket.uncork(); });
    }
    this.socket.write(frame);
    if (rest) this.socket.write(rest);
  }

  /** Send the last frames and close our side once written. */
  end(frame?: Buffer): void {
    if (frame) this.send(frame);
    if (!this.socket.destroyed) this.socket.end();
  }

  /** Abandon the connection (protocol violation or shutdown). */
  destroy(): void { this.socket.destroy(); }

  private receive(b: Buffer): void {
    let frames: Frame[];
    try { frames = this.decoder.push(b); } catch (e) { this.fail(e as Error); return; }
    this.deliver(frames);
  }

  private deliver(frames: Frame[], held = false): void {
    for (const f of frames) {
      if (this.closed && !held) return;
      if (this.held) { this.held.push(f); continue; }
      try { this.#handlers.frame(f); } catch (e) { this.fail(e as Error); return; }
    }
  }

  private fail(e: Error): void {
    if (this.closed) return;
    this.#handlers.error?.(e);
    this.socket.destroy();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.held) this.#handlers.close?.();
  }
}
