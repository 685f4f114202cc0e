import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { FedfuseError } from '../../common/errors/index.ts';

/**
 * What the server needs to speak https and wss itself: its certificate chain
 * and key (PEM) and, optionally, a CA whose client certificates it requires
 * (mutual TLS, on top of the client token). Read and checked once at start-up
 * so a wrong file is one line naming its flag, not a failure on the first
 * connection.
 */
export interface TlsSettings {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** When set, every TLS connection must present a client certificate signed by this CA. */
  readonly clientCa: Buffer | null;
}

export interface TlsFiles {
  /** `--tls-cert`: PEM certificate chain (the server's first). */
  readonly cert: string | null;
  /** `--tls-key`: PEM private key of that certificate. */
  readonly key: string | null;
  /** `--tls-ca`: PEM CA(s) whose client certificates are required. */
  readonly ca: string | null;
}

/** The settings the three files describe, or null for plain HTTP (none given); a wrong combination or file is one line. */
export function readTlsFiles(files: TlsFiles): TlsSettings | null {
  if (files.cert === null && files.key === null) {
    if (files.ca !== null) throw new FedfuseError('invalid_argument', '--tls-ca needs --tls-cert and --tls-key (client certificates are checked only over TLS)');
    return null;
  }
  if (files.cert === null) throw new FedfuseError('invalid_argument', '--tls-key needs --tls-cert');
  if (files.key === null) throw new FedfuseError('invalid_argument', '--tls-cert needs --tls-key');
  const cert = readPem(files.cert, '--tls-cert', 'CERTIFICATE');
  const key = readPem(files.key, '--tls-key', 'PRIVATE KEY');
  const clientCa = files.ca === null ? null : readPem(files.ca, '--tls-ca', 'CERTIFICATE');
  try {
    createSecureContext({ cert, key, ...(clientCa === null ? {} : { ca: clientCa }) });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new FedfuseError('invalid_argument', `--tls-cert ${files.cert} and --tls-key ${files.key} do not make a TLS identity: ${reason}`);
  }
  return { cert, key, clientCa };
}

function readPem(path: string, flag: string, label: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new FedfuseError('invalid_argument', `cannot read ${flag} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e))}`);
  }
  if (!bytes.toString('latin1').includes(`-----BEGIN `) || !bytes.toString('latin1').includes(label)) {
    throw new FedfuseError('invalid_argument', `${flag} ${path} is not a PEM file with a ${label}`);
  }
  return bytes;
}
