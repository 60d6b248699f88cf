import type { Config } from '../../../shared/src/config/env.ts';
import {
  AppError,
  badRequest,
  conflict,
  targetRefused,
  targetTimeout,
  targetUnreachable,
} from '../../../shared/src/errors/app-error.ts';
import type { Logger } from '../../../shared/src/logger/logger.ts';
import { validateCustomParameters, validateScimTemplate } from '../../../shared/src/mapping/scim-user.ts';
import { heldTasks } from '../../../shared/src/provisioning/deletion-hold.ts';
import type { Lifecycle } from '../../../shared/src/provisioning/lifecycle.ts';
import { ScimCallError } from '../../../shared/src/scim-client/scim-call-error.ts';
import { type ConnectionTest, createScimClient } from '../../../shared/src/scim-client/scim-client.ts';
import { targetPolicy } from '../../../shared/src/scim-client/target-policy.ts';
import { newId } from '../../../shared/src/store/ids.ts';
import type { PushQueues } from '../../../shared/src/store/push-queues.ts';
import { redactSecret } from '../../../shared/src/store/redact-secret.ts';
import type { Stores } from '../../../shared/src/store/stores.ts';
import type { AppRecord } from '../../../shared/src/types/app.schema.ts';
import { assertTargetAllowed } from './target-allowlist.ts';

/** SCIM requests an app's target sees at once, across every worker process (BullMQ global concurrency). */
const DEFAULT_APP_CONCURRENCY = 16;

type ConfigurationInput = {
  scimBaseUrl: string;
  scimBearerToken?: string | undefined;
  dialect: AppRecord['configuration']['dialect'];
};
type ProvisioningInput = Omit<AppRecord['provisioning'], 'concurrency' | 'rateLimitPerSecond'> &
  Partial<Pick<AppRecord['provisioning'], 'concurrency' | 'rateLimitPerSecond'>>;

/** The contract's error for a failed SCIM call (422 refused, 502 unreachable, 504 timed out). */
export function targetError(err: unknown): AppError {
  if (!(err instanceof ScimCallError))
    return targetUnreachable(err instanceof Error ? err.message : 'The target did not answer.');
  if (err.kind === 'refused') return badRequest('configuration.scimBaseUrl', err.message);
  const details = { status: err.status ?? null, response: err.exchange.response?.body ?? null };
  if (err.status !== undefined) return targetRefused(err.message, details);
  return /timed? ?out/i.test(err.message)
    ? targetTimeout(err.message, details)
    : targetUnreachable(err.message, details);
}

/** The app catalog instances: configuration, connection test, parameters, provisioning settings, quarantine. */
export class AppsService {
  constructor(
    private readonly stores: Stores,
    private readonly queues: PushQueues,
    private readonly lifecycle: Lifecycle,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  list(query: Parameters<Stores['apps']['list']>[0]) {
    return this.stores.apps.list(query);
  }

  get(appId: string): Promise<AppRecord> {
    return this.stores.apps.get(appId);
  }

  /** The app's deletion hold and the deprovisions it keeps pending (none while no hold is active). */
  async deletionHold(appId: string) {
    const { id, deletionHold } = await this.stores.apps.get(appId);
    return { hold: deletionHold, tasks: deletionHold ? await heldTasks(this.stores, id) : [] };
  }

  async create(connector: AppRecord['connector'], name: string): Promise<AppRecord> {
    const app: AppRecord = {
      id: newId(),
      connector,
      name,
      createdAt: new Date().toISOString(),
      configuration: {
        scimBaseUrl: null,
        scimBearerToken: null,
        dialect: 'onelogin',
        apiConnection: 'disabled',
      },
      quarantine: null,
      parameters: { scimUsername: null, custom: [] },
      provisioning: {
        enabled: false,
        requireApproval: { create: true, update: true, delete: true },
        onDelete: 'suspend',
        onSuspend: 'suspend',
        concurrency: DEFAULT_APP_CONCURRENCY,
        rateLimitPerSecond: null,
        emptyGroups: 'keep',
      },
    };
    await this.stores.apps.save(app, 'created');
    await this.stores.log.registerApp(app.id);
    return app;
  }

  async configure(appId: string, input: ConfigurationInput): Promise<AppRecord> {
    assertTargetAllowed(input.scimBaseUrl, targetPolicy(this.config));
    const app = await this.stores.apps.get(appId);
    const scimBearerToken = input.scimBearerToken ?? app.configuration.scimBearerToken;
    if (!scimBearerToken) throw badRequest('body.scimBearerToken', 'is required (no token is stored yet)');
    const next: AppRecord = {
      ...app,
      configuration: {
        scimBaseUrl: input.scimBaseUrl.replace(/\/+$/, ''),
        scimBearerToken,
        dialect: input.dialect,
        apiConnection: 'disabled',
      },
    };
    await this.stores.apps.save(next, 'changed');
    return next;
  }

  /**
   * Tests the connection; success stores `enabled` and what it read of PATCH support and lifts a
   * quarantine, failure stores the target's error.
   */
  async enable(appId: string): Promise<AppRecord> {
    const app = await this.stores.apps.get(appId);
    const { scimBaseUrl, scimBearerToken, dialect } = app.configuration;
    if (!scimBaseUrl || !scimBearerToken)
      throw conflict('configuration_missing', 'Set the SCIM Base URL and SCIM Bearer Token before enabling.');
    const client = createScimClient({
      baseUrl: scimBaseUrl,
      bearerToken: scimBearerToken,
      dialect,
      timeoutMs: this.config.PROVISIM_SCIM_TIMEOUT_MS,
      policy: targetPolicy(this.config),
    });
    let learnt: ConnectionTest;
    try {
      learnt = await client.testConnection();
    } catch (err) {
      const raw = targetError(err);
      const appError = new AppError(
        raw.status,
        raw.code,
        redactSecret(raw.message, scimBearerToken),
        redactSecret(raw.details, scimBearerToken),
      );
      const failed: AppRecord = {
        ...app,
        configuration: { ...app.configuration, apiConnection: 'error', apiConnectionError: appError.message },
      };
      await this.stores.apps.save(failed, 'changed');
      throw appError;
    }
    const { apiConnectionError: _cleared, patchSupported: _reread, ...configuration } = app.configuration;
    const enabled: AppRecord = {
      ...app,
      configuration: { ...configuration, ...learnt, apiConnection: 'enabled' },
      quarantine: null,
    };
    await this.stores.apps.save(enabled, 'changed');
    await this.lifecycle.lift(appId, () => this.queues.queue(appId).resume());
    if (app.quarantine) this.logger.info({ appId }, 'quarantine lifted');
    return enabled;
  }

  async setParameters(
    appId: string,
    input: {
      scimUsername: AppRecord['parameters']['scimUsername'];
      custom?: AppRecord['parameters']['custom'];
    },
  ): Promise<AppRecord> {
    const app = await this.stores.apps.get(appId);
    const custom = input.custom ?? [];
    validateCustomParameters(app.connector, custom);
    validateScimTemplate(app.parameters.scimJsonTemplate, custom);
    if (input.scimUsername === null && app.provisioning.enabled)
      throw conflict('scim_username_unset', 'SCIM Username cannot be cleared while provisioning is enabled.');
    const next: AppRecord = {
      ...app,
      parameters: { ...app.parameters, scimUsername: input.scimUsername, custom },
    };
    await this.stores.apps.save(next, 'changed');
    return next;
  }

  async setProvisioning(appId: string, input: ProvisioningInput): Promise<AppRecord> {
    const app = await this.stores.apps.get(appId);
    if (input.enabled && app.parameters.scimUsername === null)
      throw conflict('scim_username_unset', 'Set SCIM Username (Parameters) before enabling provisioning.');
    if (input.enabled && app.configuration.apiConnection !== 'enabled')
      throw conflict(
        'api_connection_not_enabled',
        'Enable the API connection (Configuration) before enabling provisioning.',
      );
    const next: AppRecord = { ...app, provisioning: { ...app.provisioning, ...input } };
    await this.stores.apps.save(next, 'changed');
    return next;
  }

  async remove(appId: string): Promise<void> {
    await this.stores.apps.get(appId);
    await this.queues.remove(appId);
    await this.stores.redis.unlink(...(await this.lifecycle.approvals.allKeys(appId)));
    await this.stores.roles.forgetApp(appId);
    const [userIds, taskIds] = await Promise.all([
      this.stores.appUsers.allIds(appId),
      this.stores.tasks.allIds(appId),
    ]);
    await this.stores.apps.remove(appId, userIds, taskIds);
  }
}
