// Plain data about OneLogin's SCIM JSON Template, with no imports, so the console can show it too.

/** The user macros OneLogin documents that provisim's directory can fill. */
export const USER_MACROS = [
  'firstname',
  'lastname',
  'email',
  'username',
  'display_name',
  'department',
  'title',
  'id',
] as const;
export type UserMacro = (typeof USER_MACROS)[number];

/** Custom fields and parameters, as the editor lists them beside the user macros. */
export const OTHER_MACROS = [
  '{$user.custom_fields.<field>}',
  '{$parameters.scimusername}',
  '{$parameters.<parameter>}',
];

/** OneLogin's SCIM v2 Enterprise template, filled from provisim's directory. */
export const DEFAULT_SCIM_JSON_TEMPLATE = `{
  "schemas": [
    "urn:ietf:params:scim:schemas:core:2.0:User",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
  ],
  "userName": "{$parameters.scimusername}",
  "externalId": "{$user.id}",
  "name": {
    "givenName": "{$user.firstname}",
    "familyName": "{$user.lastname}",
    "formatted": "{$user.display_name}"
  },
  "displayName": "{$user.display_name}",
  "emails": [{ "value": "{$user.email}", "type": "work", "primary": true }],
  "title": "{$user.title}",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
    "department": "{$user.department}"
  }
}`;
