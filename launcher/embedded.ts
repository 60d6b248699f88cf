import type { StartEmbedded } from '../cli/src/cli-io.ts';

/** The CLI's embedded instance. Loaded only when called: commands against --api start without the server's modules. */
export const startEmbeddedProvisim: StartEmbedded = async (config, logger) => {
  const { startProvisim } = await import('./runtime.ts');
  return startProvisim(config, logger);
};
