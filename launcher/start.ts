import { loadConfig } from '../shared/src/config/env.ts';
import { createLogger } from '../shared/src/logger/logger.ts';
import { configOrExit, exitOnSignals, exitOnUnexpectedError } from '../shared/src/runtime/shutdown.ts';
import { startProvisim } from './runtime.ts';

const config = configOrExit(() => loadConfig());
const logger = createLogger('provisim', config.LOG_LEVEL);
exitOnUnexpectedError(logger);
const runtime = await startProvisim(config, logger, { targetInChildProcess: true });
exitOnSignals(runtime.stop, logger, config.PROVISIM_SHUTDOWN_TIMEOUT_MS);

const lines = [
  '',
  'provisim is running.',
  // An operator's own token is theirs to type; only a generated one goes in the printed URL.
  config.PROVISIM_ADMIN_TOKEN
    ? `  Open the admin console:  ${runtime.apiUrl}/login  (sign in with PROVISIM_ADMIN_TOKEN)`
    : `  Open the admin console:  ${runtime.apiUrl}/login#token=${runtime.adminToken}`,
  `  REST API:                ${runtime.apiUrl}/api  (OpenAPI: ${runtime.apiUrl}/api/openapi.json)`,
  runtime.targetUrl ? `  Built-in SCIM target:    ${runtime.targetUrl}` : '',
  `  Redis:                   ${runtime.embeddedRedis ? `embedded, ${runtime.redisUrl}, data in ${config.PROVISIM_DATA_DIR}` : runtime.redisUrl}`,
  runtime.adminTokenGenerated
    ? `  Admin token generated and kept in ${config.PROVISIM_DATA_DIR}/admin-token`
    : '',
  '',
];
process.stdout.write(
  `${lines.filter((line, i) => line !== '' || i === 0 || i === lines.length - 1).join('\n')}\n`,
);
