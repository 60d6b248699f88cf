import { badRequest } from '../../../shared/src/errors/app-error.ts';
import { buildScimUser, desiredGroups, validateScimTemplate } from '../../../shared/src/mapping/scim-user.ts';
import type { Stores } from '../../../shared/src/store/stores.ts';
import type { AppRecord, ScimTemplatePreview } from '../../../shared/src/types/app.schema.ts';

const SENT = 'body.scimJsonTemplate';

const refuseOnCatalog = (app: AppRecord, field: string) => {
  if (app.connector === 'calendly')
    throw badRequest(
      field,
      'Calendly is a catalog app without a SCIM JSON Template; add the SCIM Provisioner app to edit one.',
    );
};

/** The SCIM Provisioner's SCIM JSON Template: checked on save, previewed against one directory user. */
export class ScimTemplateService {
  constructor(private readonly stores: Stores) {}

  /** Saves the template (null or empty: back to the built-in mapping); Reapply Mappings pushes the change. */
  async save(appId: string, template: string | null): Promise<AppRecord> {
    const app = await this.stores.apps.get(appId);
    const scimJsonTemplate = template?.trim() ? template : null;
    if (scimJsonTemplate) refuseOnCatalog(app, SENT);
    validateScimTemplate(scimJsonTemplate, app.parameters.custom, SENT);
    const next: AppRecord = { ...app, parameters: { ...app.parameters, scimJsonTemplate } };
    await this.stores.apps.save(next, 'changed');
    return next;
  }

  /** What the mapping makes of the user with the draft template, or with the saved one when no draft is given. */
  async preview(
    appId: string,
    input: { userId: string; scimJsonTemplate?: string | null | undefined },
  ): Promise<ScimTemplatePreview> {
    const app = await this.stores.apps.get(appId);
    const user = await this.stores.users.get(input.userId);
    const draft = input.scimJsonTemplate !== undefined;
    const chosen = draft ? input.scimJsonTemplate : app.parameters.scimJsonTemplate;
    const template = chosen?.trim() ? chosen : null;
    const field = draft ? SENT : 'parameters.scimJsonTemplate';
    if (template) refuseOnCatalog(app, field);
    const params = { ...app.parameters, scimJsonTemplate: template };
    validateScimTemplate(template, params.custom, field);
    return {
      userId: user.id,
      resource: buildScimUser(app.connector, user, params),
      groups: desiredGroups(app.connector, user, params),
      template: template === null ? 'none' : draft ? 'draft' : 'saved',
    };
  }
}
