// The desks' accounts:  npm run desk -- add-expert --email expert@cfar.example --name "Dr Anne Expert" --oa cfar
//                       npm run desk -- new-link --email expert@cfar.example
//                       npm run desk -- list-oa
// Prints a one-time link (valid 7 days) where the person sets their own password: no default password exists.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, databaseUrl, loadConfig, secretsKeyFile } from '../src/config';
import { openDatabase } from '../src/services/db/database';
import { OaDirectory } from '../src/services/accreditation/oaDirectory';
import { DeskAccounts, type DeskRole } from '../src/services/desk/deskAccounts';
import { SecureLinks } from '../src/services/identity/secureLinks';
import { SecretBox } from '../src/services/identity/secretBox';

const USAGE = `Usage:
  npm run desk -- add-expert --email <e-mail> --name "<name>" --oa <oa-id>[,<oa-id>...]
  npm run desk -- new-link --email <e-mail>
  npm run desk -- list-oa`;

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' }, oa: { type: 'string' } }, strict: true });
  const config = loadConfig();
  const directory = OaDirectory.load(path.resolve(__dirname, '..', 'data', 'accreditation', 'oa.json'));
  if (command === 'list-oa') {
    process.stdout.write(`${directory.ids().join('\n')}\n`);
    return 0;
  }
  const db = await openDatabase(databaseUrl(config));
  try {
    const accounts = new DeskAccounts(db, new SecureLinks(db, SecretBox.fromConfig(config.SECRETS_KEY, secretsKeyFile(config))));
    const activation = (token: string) => `${config.PUBLIC_URL}/compte/bureau/activation/${token}`;
    if (command === 'add-expert' || command === 'add-agent') {
      const role: DeskRole = command === 'add-expert' ? 'EXPERT' : 'AGENT';
      if (!values.email || !values.name) throw new UsageError('--email and --name are required.');
      const oaIds = (values.oa ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      if (role === 'EXPERT') {
        if (oaIds.length === 0) throw new UsageError('--oa is required for an expert (see: npm run desk -- list-oa).');
        const unknown = oaIds.filter((id) => !directory.ids().includes(id));
        if (unknown.length) throw new UsageError(`Unknown OA: ${unknown.join(', ')} (see: npm run desk -- list-oa).`);
      }
      const { account, token } = await accounts.create(role, values.email, values.name, oaIds);
      process.stdout.write(`Account created for ${account.name} <${account.email}> (${role}${oaIds.length ? `, ${oaIds.join(', ')}` : ''}).\nActivation link, valid 7 days, to send to its owner:\n${activation(token)}\n`);
      return 0;
    }
    if (command === 'new-link') {
      if (!values.email) throw new UsageError('--email is required.');
      process.stdout.write(`${activation(await accounts.reactivate(values.email))}\n`);
      return 0;
    }
    throw new UsageError(`Unknown command "${command ?? ''}".`);
  } finally {
    await db.$disconnect();
  }
}

class UsageError extends Error {}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(error instanceof UsageError ? `${message}\n${USAGE}\n` : error instanceof ConfigError ? `${message}\n` : `desk: ${message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
