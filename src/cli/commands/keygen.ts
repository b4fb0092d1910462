// `blastguard keygen --out DIR`: an Ed25519 key pair for signed plans. The private key (NAME.pem, mode 0600) is for
// the CI that signs plans (`check --out plan.json --sign-key`); the public key (NAME.pub.pem) is for the scripts
// that run them (`verify --trust-key`, guard's trustKeys). Same as `openssl genpkey -algorithm ed25519`.
import { generateKeyPairSync } from 'node:crypto';
import { closeSync, fchmodSync, mkdirSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { ex } from './shared.js';
import { keyId } from '../../app/index.js';
import { InputError, UsageError } from '../../model/errors.js';
import { EXIT, type Io } from '../io.js';

interface KeygenArgs {
  out: string;
  name: string;
}

/** Creates `file` (never over an existing one, nor through a link) with `mode`, and writes `text`. */
function createExclusive(file: string, text: string, mode: number): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError({
      file,
      message: code === 'EEXIST' ? 'already exists: refusing to overwrite a key (choose another --name or folder)' : `cannot create (${code ?? 'error'})`,
    });
  }
  try {
    fchmodSync(fd, mode); // whatever the umask
    writeSync(fd, text);
  } catch (err) {
    closeSync(fd);
    unlinkSync(file);
    throw new InputError({ file, message: `cannot write (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
  }
  closeSync(fd);
}

export function keygenCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'keygen',
    describe: 'Write an Ed25519 key pair for signed plans: NAME.pem (private, for CI) and NAME.pub.pem (public, for scripts)',
    builder: (y: Argv) =>
      y
        .option('out', {
          alias: 'o',
          type: 'string',
          demandOption: true,
          requiresArg: true,
          describe: 'Folder for the two key files (created with mode 0700 if missing)',
        })
        .option('name', { type: 'string', default: 'blastguard-plan', requiresArg: true, describe: 'File name stem' })
        .example(ex('$0 keygen --out keys', 'keys/blastguard-plan.pem and keys/blastguard-plan.pub.pem')),
    handler: async (args: KeygenArgs) => {
      const name = String(args.name);
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
        throw new UsageError(`--name must be a plain file name stem (letters, digits, . _ -): ${JSON.stringify(name)}`);
      const dir = String(args.out);
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
      } catch (err) {
        throw new InputError({ file: dir, message: `cannot create the folder (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      }
      if (!statSync(dir).isDirectory()) throw new InputError({ file: dir, message: 'not a folder' });
      const priv = join(dir, `${name}.pem`);
      const pub = join(dir, `${name}.pub.pem`);
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      createExclusive(priv, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
      try {
        createExclusive(pub, publicKey.export({ type: 'spki', format: 'pem' }) as string, 0o644);
      } catch (err) {
        unlinkSync(priv); // a private key without its public half is of no use
        throw err;
      }
      io.stdout(
        `wrote the private key ${priv} (mode 0600): only the CI that signs plans may hold it (plan|check --out … --sign-key)\n` +
          `wrote the public key  ${pub}: for the scripts that run plans (verify --trust-key, guard's trustKeys)\n` +
          `key ${keyId(publicKey)}\n`,
      );
      setExit(EXIT.pass);
    },
  };
}
