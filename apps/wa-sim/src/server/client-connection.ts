import { Logger } from '@nestjs/common';
import { decodeBinaryNode, encodeBinaryNode } from '@whiskeysockets/baileys';
import type { WebSocket } from 'ws';
import { encodeFrame, FrameReader } from '../protocol/frame-codec';
import { node, SERVER_JID, type BinaryNode } from '../protocol/binary-node';
import { type NoiseHandshake } from '../protocol/noise-handshake';
import type { NoiseTransport } from '../protocol/noise-transport';
import type { IqError, StanzaRouter } from './stanza-router.service';

/** The companion a connection has logged in as. */
export interface DeviceAddress {
  phoneNumber: string;
  deviceId: number;
}

interface PendingRequest {
  resolve: (reply: BinaryNode) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

type CloseListener = (connection: ClientConnection) => void;

let nextConnectionId = 1;
let nextRequestId = 1;

/**
 * One client WebSocket: Noise handshake, then encrypted binary nodes in both directions.
 * Frames are handled strictly in arrival order, so stanza handlers must never wait for a
 * client's reply to a server request (that reply queues behind them).
 */
export class ClientConnection {
  readonly id = nextConnectionId++;
  device?: DeviceAddress;
  /** Logged in and active (keys uploaded): messages go out live instead of being queued. */
  ready = false;
  private readonly logger = new Logger('ClientConnection');
  private readonly reader = new FrameReader();
  private handshake?: NoiseHandshake;
  private transport?: NoiseTransport;
  private helloAnswered = false;
  private processing: Promise<void> = Promise.resolve();
  private readonly pendingRequests = new Map<string, PendingRequest>();
  private readonly closeListeners: CloseListener[] = [];
  private closed = false;

  constructor(
    private readonly socket: WebSocket,
    handshake: NoiseHandshake,
    private readonly router: StanzaRouter,
  ) {
    this.handshake = handshake;
    socket.on('message', (data: Buffer) => this.receive(data));
    socket.on('close', () => this.handleClose());
    socket.on('error', (error) => this.logger.debug(`${this.label} socket error: ${error.message}`));
  }

  get label(): string {
    return this.device ? `conn#${this.id}(${this.device.phoneNumber}:${this.device.deviceId})` : `conn#${this.id}`;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  onClose(listener: CloseListener): void {
    if (this.closed) listener(this);
    else this.closeListeners.push(listener);
  }

  send(stanza: BinaryNode): void {
    if (this.closed || !this.transport) return;
    const frame = encodeFrame(this.transport.encrypt(encodeBinaryNode(stanza)));
    this.socket.send(frame);
  }

  /** Sends a server-initiated iq and resolves with the client's result/error reply. */
  request(stanza: BinaryNode, timeoutMs = 15_000): Promise<BinaryNode> {
    const id = stanza.attrs.id ?? `sim-${nextRequestId++}`;
    stanza.attrs.id = id;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingRequests.delete(id);
        reject(new Error(`no reply to iq ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingRequests.set(id, { resolve, reject, timer });
      this.send(stanza);
    });
  }

  settleRequest(reply: BinaryNode): void {
    const pending = this.pendingRequests.get(reply.attrs.id ?? '');
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pendingRequests.delete(reply.attrs.id ?? '');
    pending.resolve(reply);
  }

  replyIq(iq: BinaryNode, content?: BinaryNode[]): void {
    this.send(node('iq', this.replyAttrs(iq, 'result'), content));
  }

  replyIqError(iq: BinaryNode, error: IqError): void {
    this.send(node('iq', this.replyAttrs(iq, 'error'), [node('error', { code: String(error.code), text: error.text })]));
  }

  /** Ends the stream the way WhatsApp does: a `<stream:error>` (or `<failure>`) node, then close. */
  endWith(stanza: BinaryNode): void {
    if (this.closed) return;
    this.send(stanza);
    this.socket.close();
  }

  /** Network fault: the socket vanishes without a close handshake. */
  drop(): void {
    this.socket.terminate();
  }

  private replyAttrs(iq: BinaryNode, type: string): Record<string, string> {
    return { id: iq.attrs.id ?? '', type, from: SERVER_JID };
  }

  private receive(data: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.reader.push(data);
    } catch (error) {
      this.logger.warn(`${this.label}: ${(error as Error).message}`);
      this.socket.terminate();
      return;
    }
    for (const frame of frames) {
      this.processing = this.processing
        .then(() => this.handleFrame(frame))
        .catch((error: Error) => {
          this.logger.warn(`${this.label}: dropping connection after error: ${error.stack}`);
          this.socket.terminate();
        });
    }
  }

  private async handleFrame(frame: Buffer): Promise<void> {
    if (this.closed) return;
    if (this.transport) {
      const stanza = await decodeBinaryNode(this.transport.decrypt(frame));
      await this.router.dispatch(this, stanza);
      return;
    }
    if (!this.handshake) return;
    if (!this.helloAnswered) {
      this.helloAnswered = true;
      this.socket.send(encodeFrame(this.handshake.respondToHello(frame)));
      return;
    }
    const completed = this.handshake.finish(frame);
    this.handshake = undefined;
    this.transport = completed.transport;
    await this.router.handshakeCompleted(this, completed.clientStaticKey, completed.payload);
  }

  private handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pendingRequests.values()) {
      clearTimeout(pending.timer);
      pending.reject(new Error('connection closed'));
    }
    this.pendingRequests.clear();
    for (const listener of this.closeListeners.splice(0)) listener(this);
  }
}
