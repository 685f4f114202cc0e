import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A socket.io peer written by hand on a bare TCP socket: the WebSocket
 * upgrade, RFC 6455 frames, engine.io v4 and socket.io v5 packets. It exists
 * for what socket.io-client cannot do: write part of a frame and then cut the
 * connection, exactly as a client dying mid-upload would.
 *
 * A binary event with an acknowledgement is two WebSocket frames: the text
 * `451-<ackId>["envelope",{"_placeholder":true,"num":0}]` and then the bytes
 * in one binary frame.
 */
export interface RawWebSocketPeer {
  /** Sends one envelope as a binary event; resolves with the acknowledgement's bytes. */
  request(envelope: Uint8Array, timeoutMs?: number): Promise<Buffer>;
  /** Sends the event header and the first `bytesOfFrame` bytes of the binary frame (header included); resolves once the kernel has them. */
  sendPartially(envelope: Uint8Array, bytesOfFrame: number): Promise<void>;
  /** Sends the whole event and ends the connection right behind it, without waiting for the acknowledgement. */
  sendAndHangUp(envelope: Uint8Array): Promise<void>;
  /** The frame length `sendPartially` would cut, for picking a cut point. */
  binaryFrameLength(envelope: Uint8Array): number;
  /** Ends the TCP connection at once (no WebSocket close, no socket.io disconnect). */
  destroy(): void;
}

const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;

/** A masked client frame (RFC 6455 section 5.2). */
function frame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const header = length < 126 ? Buffer.alloc(2) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = 0x80 | length;
  else if (length < 65536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i++) masked[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([header, mask, masked]);
}

type Frame = { text: string } | { binary: Buffer };

/** Parses the server's unmasked, unfragmented frames from `buffer`; returns them and the unparsed rest. */
function parseFrames(buffer: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let at = 0;
  for (;;) {
    if (buffer.length - at < 2) break;
    const opcode = buffer[at]! & 0x0f;
    let length = buffer[at + 1]! & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      if (buffer.length - at < 4) break;
      length = buffer.readUInt16BE(at + 2);
      offset = at + 4;
    } else if (length === 127) {
      if (buffer.length - at < 10) break;
      length = Number(buffer.readBigUInt64BE(at + 2));
      offset = at + 10;
    }
    if (buffer.length < offset + length) break;
    const payload = buffer.subarray(offset, offset + length);
    if (opcode === OPCODE_TEXT) frames.push({ text: payload.toString('utf8') });
    else if (opcode === OPCODE_BINARY) frames.push({ binary: Buffer.from(payload) });
    at = offset + length;
  }
  return { frames, rest: buffer.subarray(at) };
}

export async function connectRawWebSocket(baseUrl: string, token: string): Promise<RawWebSocketPeer> {
  const { hostname, port } = new URL(baseUrl);
  const socket: Socket = connect(Number(port), hostname);
  const frames: Frame[] = [];
  const waiters: Array<() => void> = [];
  let upgraded = false;
  let pending: Buffer = Buffer.alloc(0);

  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    if (!upgraded) {
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!pending.subarray(0, end).toString('latin1').startsWith('HTTP/1.1 101')) {
        socket.destroy(new Error(`upgrade refused: ${pending.subarray(0, end).toString('latin1')}`));
        return;
      }
      upgraded = true;
      pending = pending.subarray(end + 4);
    }
    const parsed = parseFrames(pending);
    pending = parsed.rest;
    for (const f of parsed.frames) {
      // engine.io ping: answer it, or the server drops us.
      if ('text' in f && f.text === '2') socket.write(frame(OPCODE_TEXT, Buffer.from('3')));
      else frames.push(f);
    }
    for (const w of [...waiters]) w();
  });

  /** Removes and returns the first frame matching `pick` (and `then` frames after it), waiting for it if needed. */
  const take = (pick: (f: Frame) => boolean, timeoutMs: number, following = 0): Promise<Frame[]> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const i = frames.findIndex(pick);
        if (i < 0 || frames.length < i + 1 + following) return false;
        resolve(frames.splice(i, 1 + following));
        return true;
      };
      if (check()) return;
      const timer = setTimeout(() => reject(new Error('no such frame arrived')), timeoutMs);
      const waiter = (): void => {
        if (check()) {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(waiter), 1);
        }
      };
      waiters.push(waiter);
      socket.once('close', () => reject(new Error('connection closed')));
    });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', () => {}); // a reset after destroy() is expected
  socket.write(
    [
      `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      `Authorization: Bearer ${token}`,
      '',
      '',
    ].join('\r\n'),
  );
  const isText = (prefix: string) => (f: Frame): boolean => 'text' in f && f.text.startsWith(prefix);
  await take(isText('0{'), 10_000); // engine.io open
  socket.write(frame(OPCODE_TEXT, Buffer.from(`40${JSON.stringify({ token })}`)));
  const [connected] = await take((f) => isText('40')(f) || isText('44')(f), 10_000);
  if (connected === undefined || !('text' in connected) || !connected.text.startsWith('40')) {
    socket.destroy();
    throw new Error(`socket.io connect refused: ${connected !== undefined && 'text' in connected ? connected.text : '?'}`);
  }

  let nextAckId = 0;
  const eventHeader = (ackId: number): Buffer => frame(OPCODE_TEXT, Buffer.from(`451-${ackId}["envelope",{"_placeholder":true,"num":0}]`));
  return {
    async request(envelope, timeoutMs = 10_000) {
      const ackId = nextAckId++;
      socket.write(Buffer.concat([eventHeader(ackId), frame(OPCODE_BINARY, envelope)]));
      const [, reply] = await take(isText(`461-${ackId}[`), timeoutMs, 1);
      if (reply === undefined || !('binary' in reply)) throw new Error('the acknowledgement carried no bytes');
      return reply.binary;
    },
    sendPartially(envelope, bytesOfFrame) {
      const whole = frame(OPCODE_BINARY, envelope);
      return new Promise((resolve) => socket.write(Buffer.concat([eventHeader(nextAckId++), whole.subarray(0, bytesOfFrame)]), () => resolve()));
    },
    sendAndHangUp(envelope) {
      socket.write(Buffer.concat([eventHeader(nextAckId++), frame(OPCODE_BINARY, envelope)]));
      return new Promise((resolve) => socket.end(() => resolve()));
    },
    binaryFrameLength(envelope) {
      return frame(OPCODE_BINARY, envelope).byteLength;
    },
    destroy() {
      socket.destroy();
    },
  };
}
