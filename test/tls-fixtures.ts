import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Certificates made at test time with the `openssl` command: a private CA, a
 * server certificate it signed for 127.0.0.1 and localhost, a client
 * certificate it signed, and a second CA that signed nothing of ours (a
 * stranger's). Files in a temp directory; PEM text beside them.
 */
export interface TestPki {
  readonly dir: string;
  readonly caFile: string;
  readonly ca: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A CA that signed neither certificate. */
  readonly otherCaFile: string;
  readonly otherCa: string;
  remove(): void;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function selfSignedCa(dir: string, name: string): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.pem`], dir);
}

function signedBy(dir: string, ca: string, name: string, ext: string): void {
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`], dir);
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-pki-'));
  selfSignedCa(dir, 'test-ca');
  selfSignedCa(dir, 'other-ca');
  signedBy(dir, 'test-ca', 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  signedBy(dir, 'test-ca', 'client', 'extendedKeyUsage=clientAuth\n');
  const file = (name: string): string => join(dir, name);
  return {
    dir,
    caFile: file('test-ca.pem'),
    ca: readFileSync(file('test-ca.pem'), 'utf8'),
    serverCertFile: file('server.pem'),
    serverKeyFile: file('server.key'),
    clientCertFile: file('client.pem'),
    clientKeyFile: file('client.key'),
    clientCert: readFileSync(file('client.pem'), 'utf8'),
    clientKey: readFileSync(file('client.key'), 'utf8'),
    otherCaFile: file('other-ca.pem'),
    otherCa: readFileSync(file('other-ca.pem'), 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
