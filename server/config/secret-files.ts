import { readFileSync, statSync } from 'node:fs';
import { FedfuseError } from '../../common/errors/index.ts';
import { checkSecretStrength } from '../auth/index.ts';

/**
 * A secret from its option (flag, config key or environment variable) or
 * from a file (`--secret-file`, `--admin-token-file`), never both. A file is
 * read whole with one trailing newline dropped; a file others may read is
 * refused, as ssh refuses a readable private key. Messages name the option
 * and the path, never the secret.
 */
export function secretFromOptionOrFile(value: string | null, file: string | null, flag: string): string | null {
  if (value !== null && file !== null) throw new FedfuseError('invalid_argument', `give ${flag} or ${flag}-file, not both`);
  if (file === null) return value;
  let mode: number;
  let text: string;
  try {
    mode = statSync(file).mode;
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FedfuseError('invalid_argument', `cannot read ${flag}-file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if ((mode & 0o077) !== 0) throw new FedfuseError('invalid_argument', `${flag}-file ${file} may be read by other users (mode ${(mode & 0o777).toString(8)}): chmod 600 it`);
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '' || /[\r\n]/.test(secret)) throw new FedfuseError('invalid_argument', `${flag}-file ${file} must hold the secret on one line`);
  return secret;
}

/** The read token (`--read-token`, `--read-token-file`, $FEDFUSE_READ_TOKEN), checked; null when none. */
export function resolveReadToken(c: { readToken: string | null; readTokenFile: string | null }, adminToken: string | null): string | null {
  const readToken = secretFromOptionOrFile(c.readToken, c.readTokenFile, '--read-token');
  if (readToken !== null && readToken.length < 8) throw new FedfuseError('invalid_argument', '--read-token must be at least 8 characters');
  // One token for both would make the read token an admin token: whoever is given it to read could also stop the run.
  if (readToken !== null && adminToken !== null && readToken === adminToken) throw new FedfuseError('invalid_argument', '--read-token must differ from --admin-token (a reader could then stop the run and mint tokens)');
  return readToken;
}

/** The server's signing secret and admin token, resolved and checked (a weak signing secret is refused). */
export function resolveServerSecrets(c: { secret: string | null; secretFile: string | null; adminToken: string | null; adminTokenFile: string | null }): { secret: string; adminToken: string | null } {
  const secret = secretFromOptionOrFile(c.secret, c.secretFile, '--secret');
  if (secret === null) {
    throw new FedfuseError('invalid_argument', 'no secret set (FEDFUSE_SECRET, --secret-file or --secret): the server needs one of at least 128 random bits to check client tokens, e.g. $(openssl rand -hex 16)');
  }
  checkSecretStrength(secret, 'the client-token secret (--secret)');
  const adminToken = secretFromOptionOrFile(c.adminToken, c.adminTokenFile, '--admin-token');
  if (adminToken !== null && adminToken.length < 8) throw new FedfuseError('invalid_argument', '--admin-token must be at least 8 characters');
  return { secret, adminToken };
}
