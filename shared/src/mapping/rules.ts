import type { Rule, RuleCondition } from '../types/rules.schema.ts';
import type { MappableUser, ScimUser } from './scim-user.ts';

const attributeValue = (user: MappableUser, attribute: string): string | null => {
  const value = attribute.startsWith('custom.')
    ? user.custom[attribute.slice('custom.'.length)]
    : (user as unknown as Record<string, string | null | undefined>)[attribute];
  return value === undefined || value === null || value === '' ? null : value;
};

const holds = (condition: RuleCondition, user: MappableUser): boolean => {
  const value = attributeValue(user, condition.attribute)?.toLowerCase() ?? null;
  switch (condition.operator) {
    case 'exists':
      return value !== null;
    case 'equals':
      return value === condition.value.toLowerCase();
    case 'contains':
      return value?.includes(condition.value.toLowerCase()) ?? false;
    case 'in':
      return value !== null && condition.value.some((v) => v.toLowerCase() === value);
  }
};

export const conditionsHold = (conditions: RuleCondition[], user: MappableUser): boolean =>
  conditions.every((condition) => holds(condition, user));

/** The enabled rules matching the user, in order, up to the first matching rule that stops. */
export function matchingRules(rules: readonly Rule[] | undefined, user: MappableUser): Rule[] {
  const matched: Rule[] = [];
  for (const rule of rules ?? []) {
    if (!rule.enabled || !conditionsHold(rule.conditions, user)) continue;
    matched.push(rule);
    if (rule.stop) break;
  }
  return matched;
}

/**
 * The mapping's resource and groups with what the user's matching rules set: their groups join the
 * mapped ones, their entitlement values become the resource's `entitlements` (first occurrence order).
 */
export function applyRules(
  rules: readonly Rule[] | undefined,
  user: MappableUser,
  resource: ScimUser,
  groups: string[],
): { resource: ScimUser; groups: string[] } {
  const matched = matchingRules(rules, user);
  if (matched.length === 0) return { resource, groups };
  const entitlements = [...new Set(matched.flatMap((rule) => rule.set.entitlements))];
  return {
    resource:
      entitlements.length > 0
        ? { ...resource, entitlements: entitlements.map((value) => ({ value })) }
        : resource,
    groups: [...new Set([...groups, ...matched.flatMap((rule) => rule.set.groups)])],
  };
}
