/** WhatsApp's transport framing: every frame is a 3-byte big-endian length followed by the payload. */

const WA_INTRO = Buffer.from([0x57, 0x41, 0x06, 0x03]);
const ROUTING_PREFIX = Buffer.from('ED', 'utf8');

class FrameProtocolError extends Error {}

/** Reassembles frames from WebSocket messages; strips the client's one-time intro header. */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);
  private introSeen = false;

  push(chunk: Buffer): Buffer[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    if (!this.introSeen && !this.consumeIntro()) return [];
    const frames: Buffer[] = [];
    while (this.buffered.length >= 3) {
      const size = this.buffered.readUIntBE(0, 3);
      if (this.buffered.length < size + 3) break;
      frames.push(this.buffered.subarray(3, size + 3));
      this.buffered = this.buffered.subarray(size + 3);
    }
    return frames;
  }

  /** Intro is `WA 06 03`, optionally preceded by `ED 00 01 <len24> <routing info>` from saved creds. */
  private consumeIntro(): boolean {
    let offset = 0;
    if (this.buffered.subarray(0, 2).equals(ROUTING_PREFIX)) {
      if (this.buffered.length < 7) return false;
      offset = 7 + this.buffered.readUIntBE(4, 3);
    }
    if (this.buffered.length < offset + WA_INTRO.length) return false;
    if (!this.buffered.subarray(offset, offset + WA_INTRO.length).equals(WA_INTRO)) {
      throw new FrameProtocolError('client did not start with the WhatsApp intro header');
    }
    this.buffered = this.buffered.subarray(offset + WA_INTRO.length);
    this.introSeen = true;
    return true;
  }
}

export function encodeFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(payload.length + 3);
  frame.writeUIntBE(payload.length, 0, 3);
  frame.set(payload, 3);
  return frame;
}

export const NOISE_PROLOGUE = WA_INTRO;
