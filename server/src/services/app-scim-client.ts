import type { Config } from '../../../shared/src/config/env.ts';
import { AppError, conflict } from '../../../shared/src/errors/app-error.ts';
import { createScimClient, type ScimClient } from '../../../shared/src/scim-client/scim-client.ts';
import { targetPolicy } from '../../../shared/src/scim-client/target-policy.ts';
import { redactSecret } from '../../../shared/src/store/redact-secret.ts';
import type { AppRecord } from '../../../shared/src/types/app.schema.ts';
import { targetError } from './apps.service.ts';

/** The SCIM client of the app's configured target, for the API's own calls (`what`: why, for the 409). */
export function appScimClient(app: AppRecord, config: Config, what: string): ScimClient {
  const { scimBaseUrl, scimBearerToken, dialect, patchSupported } = app.configuration;
  if (!scimBaseUrl || !scimBearerToken)
    throw conflict('configuration_missing', `Set the SCIM Base URL and SCIM Bearer Token before ${what}.`);
  return createScimClient({
    baseUrl: scimBaseUrl,
    bearerToken: scimBearerToken,
    dialect,
    timeoutMs: config.PROVISIM_SCIM_TIMEOUT_MS,
    patchSupported,
    policy: targetPolicy(config),
  });
}

/** Runs a call to the app's target; a failure becomes the contract's error, the token taken out. */
export async function onTarget<T>(app: AppRecord, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const raw = targetError(err);
    const token = app.configuration.scimBearerToken;
    throw new AppError(
      raw.status,
      raw.code,
      redactSecret(raw.message, token),
      redactSecret(raw.details, token),
    );
  }
}
