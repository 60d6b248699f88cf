import type { Dialect } from '../../../shared/src/mapping/scim-dialects.ts';
import type { StepId } from './compat-steps.ts';

export interface Behaviour {
  /** What the identity provider sends for this step, which provisim's dialect reproduces. */
  text: string;
  docs: string;
}

export const IDP_NAMES: Readonly<Record<Dialect, string>> = {
  onelogin: 'OneLogin',
  okta: 'Okta',
  entra: 'Microsoft Entra ID',
  rfc: 'RFC 7644',
};

const ONELOGIN_SCIM = 'https://developers.onelogin.com/scim/create-app';
const ONELOGIN_TEST = 'https://developers.onelogin.com/scim/test-your-scim';
const OKTA_SCIM = 'https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20';
const ENTRA_SCIM =
  'https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups';
const ENTRA_QUIRKS =
  'https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility';
const RFC = (section: string) => `https://www.rfc-editor.org/rfc/rfc7644#section-${section}`;

const lookup = 'GET /Users?filter=userName eq "…" and POSTs /Users only when nothing matches';

const BEHAVIOURS: Readonly<Record<Dialect, Readonly<Record<StepId, Behaviour>>>> = {
  onelogin: {
    connection: {
      text: 'Enable tests the API connection: GET /ServiceProviderConfig, then GET /Users?count=1 when it is missing',
      docs: ONELOGIN_TEST,
    },
    create: { text: `Looks the account up with ${lookup}`, docs: ONELOGIN_SCIM },
    'create-link': {
      text: 'Links to the account its userName lookup finds, then PUTs the mapped resource',
      docs: ONELOGIN_SCIM,
    },
    'update-name': { text: 'PUTs the whole resource to /Users/{id}', docs: ONELOGIN_SCIM },
    'update-email': { text: 'PUTs the whole resource with the new userName and email', docs: ONELOGIN_SCIM },
    suspend: { text: 'PUTs the whole resource with active: false', docs: ONELOGIN_SCIM },
    reactivate: { text: 'PUTs the whole resource with active: true', docs: ONELOGIN_SCIM },
    'group-add': {
      text: 'Finds the group by displayName (POSTs it when missing) and PATCHes members with op "add"',
      docs: ONELOGIN_SCIM,
    },
    'group-remove': {
      text: 'PATCHes the group with op "remove", path members[value eq "{id}"]',
      docs: ONELOGIN_SCIM,
    },
    delete: { text: 'Deprovisioning action Delete: DELETE /Users/{id}', docs: ONELOGIN_SCIM },
    recreate: {
      text: 'Assigning the person again looks up by userName, finds nothing and POSTs a new account',
      docs: ONELOGIN_SCIM,
    },
  },
  okta: {
    connection: { text: "'Test Connector Configuration': GET /Users?startIndex=1&count=2", docs: OKTA_SCIM },
    create: { text: `Checks whether the user exists: ${lookup}`, docs: OKTA_SCIM },
    'create-link': {
      text: 'Matches the existing account by userName and updates it with PUT',
      docs: OKTA_SCIM,
    },
    'update-name': { text: 'PUTs the whole resource to /Users/{id}', docs: OKTA_SCIM },
    'update-email': { text: 'PUTs the whole resource with the new userName and email', docs: OKTA_SCIM },
    suspend: { text: 'Deactivates with PUT, active: false', docs: OKTA_SCIM },
    reactivate: { text: 'Reactivates with PUT, active: true', docs: OKTA_SCIM },
    'group-add': {
      text: 'Group Push: PATCH /Groups/{id} with lower-case op "add" on members',
      docs: OKTA_SCIM,
    },
    'group-remove': {
      text: 'Group Push: PATCH /Groups/{id}, op "remove", path members[value eq "{id}"]',
      docs: OKTA_SCIM,
    },
    delete: {
      text: 'DELETE /Users/{id} (Okta itself deactivates by default; the app may ask for a delete)',
      docs: OKTA_SCIM,
    },
    recreate: {
      text: 'Re-assignment looks up by userName, finds nothing and POSTs a new account',
      docs: OKTA_SCIM,
    },
  },
  entra: {
    connection: {
      text: "'Test connection': GET /ServiceProviderConfig, then a GET /Users query",
      docs: ENTRA_SCIM,
    },
    create: { text: `Matches on userName first: ${lookup}`, docs: ENTRA_SCIM },
    'create-link': {
      text: 'Matches the existing account by userName and PATCHes the mapped attributes (op "Replace")',
      docs: ENTRA_SCIM,
    },
    'update-name': { text: 'PATCH /Users/{id} with capitalised ops ("Replace")', docs: ENTRA_QUIRKS },
    'update-email': { text: 'PATCH /Users/{id}, op "Replace" on userName and emails', docs: ENTRA_QUIRKS },
    suspend: { text: 'PATCH /Users/{id} {"op":"Replace","path":"active","value":false}', docs: ENTRA_SCIM },
    reactivate: { text: 'PATCH /Users/{id} {"op":"Replace","path":"active","value":true}', docs: ENTRA_SCIM },
    'group-add': {
      text: 'PATCH /Groups/{id} {"op":"Add","path":"members","value":[{"value":"{id}"}]}',
      docs: ENTRA_SCIM,
    },
    'group-remove': {
      text: 'PATCH /Groups/{id} {"op":"Remove","path":"members","value":[{"value":"{id}"}]}',
      docs: ENTRA_QUIRKS,
    },
    delete: { text: 'DELETE /Users/{id} once the user is out of scope and deleted', docs: ENTRA_SCIM },
    recreate: {
      text: 'A user back in scope is matched by userName, not found, and POSTed again',
      docs: ENTRA_SCIM,
    },
  },
  rfc: {
    connection: {
      text: 'GET /ServiceProviderConfig (RFC 7644 §4), then GET /Users?count=1 when it is missing',
      docs: RFC('4'),
    },
    create: { text: `Filters before creating (§3.4.2.2): ${lookup}`, docs: RFC('3.4.2.2') },
    'create-link': {
      text: 'Links to the account the filter finds and PATCHes it (PUT when PATCH is not supported)',
      docs: RFC('3.5.2'),
    },
    'update-name': {
      text: 'PATCH when ServiceProviderConfig says patch.supported, else PUT (§3.5.1, §3.5.2)',
      docs: RFC('3.5.2'),
    },
    'update-email': {
      text: 'PATCH "replace" of userName and emails, or PUT without PATCH support',
      docs: RFC('3.5.2'),
    },
    suspend: { text: 'PATCH "replace" of active to false', docs: RFC('3.5.2.3') },
    reactivate: { text: 'PATCH "replace" of active to true', docs: RFC('3.5.2.3') },
    'group-add': { text: 'PATCH /Groups/{id}, op "add", path "members"', docs: RFC('3.5.2.1') },
    'group-remove': {
      text: 'PATCH /Groups/{id}, op "remove", path members[value eq "{id}"]',
      docs: RFC('3.5.2.2'),
    },
    delete: { text: 'DELETE /Users/{id}; later GETs answer 404', docs: RFC('3.6') },
    recreate: { text: 'A new POST /Users for the same userName after the delete', docs: RFC('3.3') },
  },
};

export const behaviourOf = (dialect: Dialect, step: StepId): Behaviour => BEHAVIOURS[dialect][step];
