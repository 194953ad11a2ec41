import { RegistryNotFoundError } from '@hearthbeat/registry';
import { EXIT_FAILED, EXIT_OK, UsageError, stringOption, type CommandSpec } from './cli.types';
import { promptHidden, readPipedSecret } from './password-input';

const PATH = ['user', 'password'] as const;

export const userPasswordCommand: CommandSpec = {
  path: PATH,
  synopsis: 'ID [--password PASSWORD]',
  summary: "set a user's password (read from standard input unless --password)",
  details: [
    'Options:',
    '  --password P   the new password; prefer standard input, since a command line lands in shell history',
    '',
    'On a terminal the password is asked for twice without echo; from a pipe the whole input is the',
    'password (one trailing line break is dropped). At least 8 characters. The user must exist (users come',
    'from the registry file\'s "users" section).',
    '',
    'Examples:',
    '  npm run hb -- user password li.bin',
    '  printf %s "$NEW_PASSWORD" | npm run hb -- user password li.bin',
  ].join('\n'),
  options: { password: { type: 'string' } },
  positionals: ['ID'],
  requiredPositionals: 1,
  async run({ values, positionals }, ctx) {
    const id = positionals[0] ?? '';
    const fromOption = stringOption(values, 'password');
    const store = await ctx.openStore();
    try {
      // Checked before asking, so nobody types a password for a misspelt user.
      if (!store.getUser(id)) throw new RegistryNotFoundError('user', id);
      let password: string;
      if (fromOption !== undefined) {
        password = fromOption;
      } else if (ctx.stdin.isTTY) {
        password = await promptHidden(`New password for ${id}: `, ctx.stdin, ctx.stderr);
        const again = await promptHidden('Repeat it: ', ctx.stdin, ctx.stderr);
        if (again !== password) {
          ctx.stderr('hb: the two passwords differ; nothing changed\n');
          return EXIT_FAILED;
        }
      } else {
        password = await readPipedSecret(ctx.stdin);
      }
      if (password === '') throw new UsageError('no password given: pipe it on standard input or use --password', PATH);
      await store.setUserPassword(id, password);
      ctx.stdout(`password of user ${id} changed\n`);
      return EXIT_OK;
    } finally {
      store.close();
    }
  },
};
