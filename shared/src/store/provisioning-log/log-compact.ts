import { textCompactor } from '../compact-text.ts';

/**
 * The log's own vocabulary, a preset dictionary for deflate: SCIM's URNs and attribute names, the shapes
 * of list and error answers, the messages the lifecycle and the push write, and the positional layout of
 * a stored event (log-codec.ts). Deflate copies any run of it from a distance, so an event pays a few
 * bits for what every event repeats. The most common strings come last (the nearest are the cheapest).
 *
 * A stored-format contract: events compressed with it can only be read with it. Never edit it in place;
 * a new vocabulary is a new dictionary under a new stream field name (see log-codec.ts), the old one kept
 * for reading.
 */
const VOCABULARY_V1 = [
  '"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"","costCenter":"","organization":"","division":"","department":"","manager":{"value":"',
  '"urn:ietf:params:scim:schemas:core:2.0:Group"',
  '"name":{"formatted":"","familyName":"","givenName":"","middleName":""},"nickName":"","title":"","userType":"","preferredLanguage":"","locale":"","timezone":"",',
  '"emails":[{"value":"","type":"work","primary":true}],"phoneNumbers":[{"value":"","type":"work"}],"groups":[{"value":"","display":""}],',
  '{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"","scimType":"uniqueness","detail":"',
  '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false},{"op":"add","path":"',
  '"truncated":true,"chars":,"preview":"',
  'Superseded: the user was unassigned (Superseded by a newer change before approval (Superseded by a retry of ',
  'Repair: was queued with no push job (lost in a crash); enqueued again.',
  'Held by deletion safety (more than deletes or suspends within s): . Allow on the app releases the held deprovisions.',
  'Deprovisioning action is "Do nothing": the account is left on the target.',
  'Nothing to deprovision: the user was never provisioned to the target.',
  "Rate limited (429, ): waiting before trying again, no attempt spent (waited of this push's for rate limits).",
  'Attempt failed, will retry: Push failed: Not pushed: Request failed with status code 50',
  'App quarantined; the push resumes after Enable succeeds. The target refused the credentials (',
  'Retry requested by Denied by Queued without approval: ',
  'delete user suspend reactivate update ',
  '"PATCH","PUT","DELETE",',
  ' → 404 → 409 → 204 → 200 → 201',
  '"meta":{"resourceType":"User","created":"2026-',
  'T00:00:00.000Z","lastModified":"2026-',
  'T00:00:00.000Z","version":"W/\\"',
  '\\"","location":"https://',
  '"totalResults":1,"itemsPerPage":1,"startIndex":1,"Resources":[{"id":"',
  '{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]}',
  '],"userName":"',
  '","displayName":"',
  '","active":true,"externalId":"',
  '","active":false,',
  '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"',
  'Pushed to the target (update).',
  '@example.com%22 → 200: no match",1,null,["GET","http://127.0.0.1:',
  '/scim/v2/',
  '/Users?filter=userName%20eq%20%22',
  '%40example.test%22 → 200: found ',
  'Awaiting admin approval: create ',
  'Approved by admin: create ',
  '",null,"admin"]',
  'Queued for push: create ',
  '/Users → 201",1,null,["POST","http://127.0.0.1:',
  '/Users",',
  'Pushed to the target (create).",1]',
  '",0,4,"',
  '",0,0,"',
].join('');

const LOG_V1 = textCompactor(VOCABULARY_V1);

/** `json` deflated with the log's dictionary, as seven-bit text. */
export const compressText = (json: string): string => LOG_V1.compress(json);

export const decompressText = (packed: string): string => LOG_V1.decompress(packed);
