import { type CliIo, EXIT, INSTANCE_FLAGS, parseFlags, secondsFlag } from '../cli-io.ts';
import { withInstance } from '../instance.ts';

export const WAIT_IDLE_USAGE =
  'provisim wait-idle [--app ID ...] [--timeout SECONDS] [--api URL --admin-token T]';

const OPTIONS = {
  app: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  ...INSTANCE_FLAGS,
} as const;

/** `provisim wait-idle`: waits until no task of the apps (all of them unless named) is queued or running. */
export async function waitIdleCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, OPTIONS);
  const timeoutMs = secondsFlag('timeout', values.timeout, 60);
  return withInstance(values, io.startEmbedded, async ({ client }) => {
    const deadline = Date.now() + timeoutMs;
    const appIds = values.app ?? (await client.apps.all()).map((app) => app.id);
    let busy = 0;
    for (const appId of appIds) {
      const { idle } = await client.apps.idle(appId, Math.max(0, deadline - Date.now()));
      if (!idle) {
        const { counts } = await client.apps.get(appId);
        io.stdout.write(`${appId}: not idle after ${timeoutMs / 1000} s (${JSON.stringify(counts)})\n`);
        busy += 1;
      } else io.stdout.write(`${appId}: idle\n`);
    }
    io.stdout.write(`${appIds.length - busy} of ${appIds.length} app(s) idle\n`);
    return busy === 0 ? EXIT.passed : EXIT.failed;
  });
}
