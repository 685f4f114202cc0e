import type { Command } from 'commander';
import { mintClientToken } from '../../auth/index.ts';
import { FedfuseError } from '../../../common/errors/index.ts';
import { int } from './option-parsers.ts';

export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .summary('mint a client token signed with the server secret')
    .description(
      'Prints a token that lets one client connect to a server started with the same secret. The token names the ' +
        'client id (a client cannot upload under another id) and may expire.',
    )
    .requiredOption('--client <id>', 'client id the token is for (letters, digits, ".", "_", "-")')
    .option('--secret <s>', 'the server secret (default $FEDFUSE_SECRET)')
    .option('--expires-in <seconds>', 'lifetime; default never expires', int)
    .action((flags: { client: string; secret?: string; expiresIn?: number }) => {
      const secret = flags.secret ?? process.env['FEDFUSE_SECRET'] ?? '';
      if (secret === '') throw new FedfuseError('invalid_argument', 'no secret set (FEDFUSE_SECRET or --secret)');
      const expiresAt = flags.expiresIn === undefined ? 0 : Date.now() + flags.expiresIn * 1000;
      process.stdout.write(`${mintClientToken(secret, flags.client, expiresAt)}\n`);
    });
}
