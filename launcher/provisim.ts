import { runCli } from '../cli/src/cli.ts';
import { startEmbeddedProvisim } from './embedded.ts';

const [command] = process.argv.slice(2);
if (command === 'start') {
  await import('./start.ts');
} else if (command === 'worker') {
  await import('../worker/src/main.ts');
} else {
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    startEmbedded: startEmbeddedProvisim,
  });
  // An embedded instance was stopped; whatever handle a library left open must not keep the command alive.
  process.stdout.write('', () => process.exit(code));
}
