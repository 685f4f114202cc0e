import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Command } from 'commander';
import { FedfuseError } from '../../../common/errors/index.ts';
import { secretFromOptionOrFile } from '../../config/index.ts';

interface RevokeFlags {
  server: string;
  client: string;
  tokenId?: string;
  adminTokenFile?: string;
  ca?: string;
}

export function registerRevokeCommand(program: Command): void {
  program
    .command('revoke')
    .summary("revoke a client's tokens on a running server; its live sessions end at once")
    .description(
      'Asks a running server (POST /api/tokens/revoke, admin token) to revoke one token of a client (--token-id, as ' +
        '`fedfuse token --json` printed it) or every token issued to the client until now; the revocation is stored ' +
        '(it survives restarts), the client\'s live sessions those tokens opened are cut, and tokens minted for it ' +
        'afterwards work. The admin token comes from $FEDFUSE_ADMIN_TOKEN or --admin-token-file.',
    )
    .requiredOption('--server <url>', 'server URL, e.g. https://fedfuse.example:8443')
    .requiredOption('--client <id>', 'the client whose tokens to revoke')
    .option('--token-id <id>', 'revoke only this token')
    .option('--admin-token-file <file>', 'read the admin token from this file (mode 600) instead of $FEDFUSE_ADMIN_TOKEN')
    .option('--ca <file>', 'PEM CA to trust for an https server')
    .action(async (flags: RevokeFlags) => {
      const adminToken = secretFromOptionOrFile(flags.adminTokenFile === undefined ? (process.env['FEDFUSE_ADMIN_TOKEN'] ?? null) : null, flags.adminTokenFile ?? null, '--admin-token');
      if (adminToken === null || adminToken === '') throw new FedfuseError('invalid_argument', 'no admin token: set $FEDFUSE_ADMIN_TOKEN or --admin-token-file');
      const body = JSON.stringify({ clientId: flags.client, ...(flags.tokenId !== undefined ? { tokenId: flags.tokenId } : {}) });
      const answer = await post(new URL('/api/tokens/revoke', flags.server), adminToken, body, flags.ca === undefined ? undefined : readFileSync(flags.ca, 'utf8'));
      if (answer.status !== 200) {
        let message = `HTTP ${answer.status}`;
        try {
          const parsed = JSON.parse(answer.body) as { error?: { message?: string } };
          message = parsed.error?.message ?? message;
        } catch {
          // not JSON: keep the status
        }
        throw new FedfuseError(answer.status === 401 ? 'unauthenticated' : 'invalid_argument', `the server refused the revocation: ${message}`);
      }
      const r = JSON.parse(answer.body) as { revokedAtMs: number; disconnected: number };
      process.stdout.write(`revoked ${flags.tokenId === undefined ? `every token of ${flags.client} issued until` : `token ${flags.tokenId} of ${flags.client} at`} ${new Date(r.revokedAtMs).toISOString()}; ${r.disconnected} live session(s) ended\n`);
    });
}

function post(url: URL, adminToken: string, body: string, ca: string | undefined): Promise<{ status: number; body: string }> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FedfuseError('invalid_argument', `--server must be an http:// or https:// URL, got ${url.protocol}`);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        ...(ca !== undefined ? { ca } : {}),
        timeout: 30_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (e) => reject(new FedfuseError('unavailable', `cannot reach ${url.origin}: ${e.message}`)));
    req.end(body);
  });
}
