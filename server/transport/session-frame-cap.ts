/**
 * Lowers the largest frame one engine.io session accepts below the server's
 * maxHttpBufferSize, which engine.io applies to every session alike (ws's
 * maxPayload is fixed when its WebSocketServer is created; polling reads the
 * transport's maxHttpBufferSize per request). Used for sessions that hold no
 * client token (dashboard observers), so that they cannot make
 * the server buffer a 65 MB frame. ws keeps the limit in its receiver's
 * `_maxPayload`, read on every frame header; that is not public API, so when
 * the field is not where it is expected the session is closed rather than
 * left at the large limit (test/security-connection-gate.test.ts checks the
 * cut over a real socket).
 *
 * Returns false when the session was closed because the cap could not be set.
 */
export function capSessionFrames(engineSocket: EngineSocketLike, maxBytes: number): boolean {
  if (!capTransport(engineSocket.transport, maxBytes)) {
    engineSocket.close();
    return false;
  }
  engineSocket.on('upgrade', (transport: unknown) => {
    if (!capTransport(transport, maxBytes)) engineSocket.close();
  });
  return true;
}

export interface EngineSocketLike {
  readonly transport: unknown;
  close(): void;
  on(event: 'upgrade', listener: (transport: unknown) => void): unknown;
}

function capTransport(transport: unknown, maxBytes: number): boolean {
  const t = transport as { name?: unknown; socket?: { _receiver?: { _maxPayload?: unknown } }; maxHttpBufferSize?: unknown } | null;
  if (t === null || typeof t !== 'object') return false;
  if (t.name === 'websocket') {
    const receiver = t.socket?._receiver;
    if (receiver === undefined || typeof receiver._maxPayload !== 'number') return false;
    receiver._maxPayload = maxBytes;
    return true;
  }
  if (t.name === 'polling' && typeof t.maxHttpBufferSize === 'number') {
    t.maxHttpBufferSize = maxBytes;
    return true;
  }
  return false;
}
