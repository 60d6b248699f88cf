import type { App, Org, OrgUser } from '../api/types.ts';

export type WalkthroughStep = {
  id: string;
  side: 'Calendly' | 'OneLogin';
  title: string;
  done: boolean;
  link: string;
};

export type WalkthroughState = {
  apps: App[];
  orgs: Org[];
  orgUsers: OrgUser[];
  logHasPush: boolean;
};

/** The app the walkthrough is about: the first Calendly app, else the first app. */
export const walkthroughApp = (apps: App[]): App | undefined =>
  apps.find((app) => app.connector === 'calendly') ?? apps[0];

/** The Calendly org the app points at, else the first org. */
export const walkthroughOrg = (orgs: Org[], app: App | undefined): Org | undefined =>
  orgs.find((org) => app?.configuration.scimBaseUrl && org.scimBaseUrl === app.configuration.scimBaseUrl) ??
  orgs[0];

/** The seed walkthrough's steps in order, each ticked from the real state of the API and the target. */
export const walkthroughSteps = ({
  apps,
  orgs,
  orgUsers,
  logHasPush,
}: WalkthroughState): WalkthroughStep[] => {
  const app = walkthroughApp(apps);
  const org = walkthroughOrg(orgs, app);
  const orgLink = org ? `/calendly/${org.id}` : '/calendly';
  const appLink = (tab: string) => (app ? `/apps/${app.id}/${tab}` : '/apps/new');
  return [
    {
      id: 'sso',
      side: 'Calendly',
      title: 'Configure and enforce SAML SSO (Organization Settings > Single sign-on)',
      done: Boolean(org?.sso.configured && org.sso.enforced),
      link: orgLink,
    },
    {
      id: 'scim-on',
      side: 'Calendly',
      title: 'Under Optional: Connect SCIM, toggle on SCIM provisioning',
      done: Boolean(org?.scimEnabled),
      link: orgLink,
    },
    {
      id: 'app',
      side: 'OneLogin',
      title: 'Applications > Add App: Calendly',
      done: app !== undefined,
      link: '/apps/new',
    },
    {
      id: 'base-url',
      side: 'OneLogin',
      title: 'Configuration: paste the Base URL in SCIM Base URL',
      done: Boolean(app?.configuration.scimBaseUrl),
      link: appLink('configuration'),
    },
    {
      id: 'token',
      side: 'OneLogin',
      title: 'Generate new bearer token, Copy token, paste it in SCIM Bearer Token',
      done: Boolean(app?.configuration.scimBearerToken),
      link: appLink('configuration'),
    },
    {
      id: 'enable',
      side: 'OneLogin',
      title: 'Configuration: Enable the API Connection, then Save',
      done: app?.configuration.apiConnection === 'enabled',
      link: appLink('configuration'),
    },
    {
      id: 'parameters',
      side: 'OneLogin',
      title: 'Parameters: SCIM Username, Value Email',
      done: app?.parameters.scimUsername === 'email',
      link: appLink('parameters'),
    },
    {
      id: 'provisioning',
      side: 'OneLogin',
      title: 'Provisioning: Enable provisioning',
      done: Boolean(app?.provisioning.enabled),
      link: appLink('provisioning'),
    },
    {
      id: 'on-delete',
      side: 'OneLogin',
      title: 'Provisioning: when users are deleted or lose app access, Suspend',
      // Suspend is the default, so the step counts only once Provisioning has been saved with it.
      done: Boolean(app?.provisioning.enabled) && app?.provisioning.onDelete === 'suspend',
      link: appLink('provisioning'),
    },
    {
      id: 'assign',
      side: 'OneLogin',
      title: 'Assign users to the app',
      done: (app?.counts.assigned ?? 0) > 0,
      link: app ? appLink('users') : '/users',
    },
    {
      id: 'approve',
      side: 'OneLogin',
      title: 'Users: Bulk approve X pending',
      done: app !== undefined && app.counts.provisioned > 0 && app.counts.pending === 0,
      link: appLink('users'),
    },
    {
      id: 'log',
      side: 'OneLogin',
      title: 'Users > Provisioning: All Apps > Calendly shows the pushes',
      done: logHasPush,
      link: app ? `/provisioning?appId=${encodeURIComponent(app.id)}` : '/provisioning',
    },
    {
      id: 'invitation',
      side: 'Calendly',
      title: 'People: a provisioned user accepts the invitation',
      done: orgUsers.some((user) => user.invitation === 'accepted'),
      link: org ? `/calendly/${org.id}/people` : '/calendly',
    },
  ];
};
