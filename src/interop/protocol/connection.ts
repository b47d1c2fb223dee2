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
  handlers: ConnectionHandlers;

  constructor(readonly socket: Socket, handlers: ConnectionHandlers, maxFrame?: number) {
    this.handlers = handlers;
    this.decoder = new FrameDecoder(maxFrame);
    socket.on('data', (b: Buffer) => this.receive(b));
    socket.on('end', () => {
      try { this.decoder.end(); } catch (e) { this.fail(e as Error); return; }
      this.socket.end();
    });
    socket.on('error', () => { /* 'close' follows; an abrupt peer is reported as a close */ });
    socket.on('close', () => this.finish());
  }

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
    for (const f of frames) {
      if (this.closed) return;
      try { this.handlers.frame(f); } catch (e) { this.fail(e as Error); return; }
    }
  }

  private fail(e: Error): void {
    if (this.closed) return;
    this.handlers.error?.(e);
    this.socket.destroy();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.close?.();
  }
}
