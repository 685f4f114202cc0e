import type { Command } from 'commander';
import { FedfuseError } from '../../../common/errors/index.ts';
import { DEFAULT_TOKEN_LIFETIME_MS, mintClientTokenWithClaims } from '../../auth/index.ts';
import { secretFromOptionOrFile } from '../../config/index.ts';
import { int } from './option-parsers.ts';

export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .summary('mint a client token signed with the server secret')
    .description(
      'Prints a token that lets one client connect to a server started with the same secret. The token names the ' +
        'client id (a client cannot upload under another id), carries a random id and its issue time (so it can be ' +
        'revoked alone, or with every earlier token of the client: `fedfuse revoke`) and expires (default 30 days). ' +
        'The secret comes from $FEDFUSE_SECRET or --secret-file; --secret on the command line is visible in ps.',
    )
    .requiredOption('--client <id>', 'client id the token is for (letters, digits, ".", "_", "-")')
    .option('--secret <s>', 'the server secret (default $FEDFUSE_SECRET; a flag is visible to every user in ps)')
    .option('--secret-file <file>', 'read the server secret from this file (mode 600, one line)')
    .option('--expires-in <seconds>', `lifetime (default ${DEFAULT_TOKEN_LIFETIME_MS / 1000}, 30 days; at most ten years)`, int)
    .option('--json', 'print {"token", "clientId", "tokenId", "issuedAtMs", "expiresAtMs"} instead of the token alone', false)
    .action((flags: { client: string; secret?: string; secretFile?: string; expiresIn?: number; json: boolean }) => {
      const secret = secretFromOptionOrFile(flags.secret ?? (flags.secretFile === undefined ? (process.env['FEDFUSE_SECRET'] ?? null) : null), flags.secretFile ?? null, '--secret');
      if (secret === null || secret === '') throw new FedfuseError('invalid_argument', 'no secret set (FEDFUSE_SECRET, --secret-file or --secret)');
      if (flags.expiresIn !== undefined && flags.expiresIn < 1) throw new FedfuseError('invalid_argument', '--expires-in must be at least 1 second');
      const issuedAtMs = Date.now();
      const expiresAtMs = issuedAtMs + (flags.expiresIn === undefined ? DEFAULT_TOKEN_LIFETIME_MS : flags.expiresIn * 1000);
      const { token, claims } = mintClientTokenWithClaims(secret, flags.client, { issuedAtMs, expiresAtMs });
      process.stdout.write(flags.json ? `${JSON.stringify({ token, ...claims })}\n` : `${token}\n`);
    });
}
