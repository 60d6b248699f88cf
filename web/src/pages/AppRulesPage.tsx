import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Rule, RuleCondition, RuleInput } from '../../../shared/src/types/rules.schema.ts';
import { oneloginApi, type RuleChange } from '../api/onelogin-client.ts';
import { ActionButton } from '../components/ActionButton/ActionButton.tsx';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { queryKeys } from '../hooks/query-keys.ts';
import { useAction } from '../hooks/use-action.ts';
import { useCurrentApp } from './AppPage.tsx';

const ATTRIBUTES = ['department', 'title', 'email', 'username', 'firstname', 'lastname', 'status'];
const OPERATORS = ['equals', 'contains', 'in', 'exists'] as const;
const list = (text: string) =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

const describeCondition = (c: RuleCondition) =>
  c.operator === 'exists'
    ? `${c.attribute} exists`
    : `${c.attribute} ${c.operator} ${Array.isArray(c.value) ? c.value.join(', ') : c.value}`;

const reconciled = (change: RuleChange | undefined) =>
  change &&
  `Saved: ${change.reconcile.pending} tasks awaiting approval, ${change.reconcile.queued} queued, ${change.reconcile.unchanged} unchanged.`;

/** Rules: ordered conditions on user attributes that set groups and entitlements, as in OneLogin. */
export function AppRulesPage() {
  const app = useCurrentApp();
  const rules = useQuery({
    queryKey: queryKeys.rules(app.id),
    queryFn: () => oneloginApi.rules.list(app.id),
    enabled: app.connector !== 'calendly',
  });
  const replace = useAction((rule: Rule) => oneloginApi.rules.replace(app.id, rule));
  const remove = useAction((ruleId: string) => oneloginApi.rules.remove(app.id, ruleId));
  const reorder = useAction((ids: string[]) => oneloginApi.rules.reorder(app.id, ids));
  const [showMatches, setShowMatches] = useState<string | null>(null);
  if (app.connector === 'calendly')
    return (
      <div className="card">
        <h2>Rules</h2>
        <p className="note">
          Calendly is a catalog app without Rules: add the SCIM Provisioner app to use them.
        </p>
      </div>
    );
  const items = rules.data?.items ?? [];
  const move = (index: number, by: number) => {
    const ids = items.map((r) => r.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + by, 0, moved as string);
    return ids;
  };
  const last = replace.data ?? remove.data ?? reorder.data;
  return (
    <div className="card">
      <h2>Rules</h2>
      <p className="note">
        Rules run in order for each user of {app.name}: an enabled rule whose conditions all hold adds its
        groups and entitlements, and a rule set to stop ends the list for that user. A change plans update
        tasks through the approval queue; Reapply Mappings applies the rules too.
      </p>
      <ErrorMessage error={rules.error ?? replace.error ?? remove.error ?? reorder.error} />
      {last && <p role="status">{reconciled(last)}</p>}
      <ol className="rules" aria-label="Rules">
        {items.map((rule, index) => (
          <li key={rule.id} data-rule={rule.name}>
            <label className="check">
              <input
                type="checkbox"
                checked={rule.enabled}
                aria-label={`Enable ${rule.name}`}
                onChange={(e) => replace.mutate({ ...rule, enabled: e.target.checked })}
              />
              <strong>{rule.name}</strong>
            </label>
            <span className="sub">
              If {rule.conditions.map(describeCondition).join(' and ')} → groups [{rule.set.groups.join(', ')}
              ], entitlements [{rule.set.entitlements.join(', ')}]{rule.stop ? '; stop' : ''}
            </span>
            <span className="action-bar">
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                disabled={index === 0}
                onClick={() => reorder.mutate(move(index, -1))}
              >
                Up
              </button>
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                disabled={index === items.length - 1}
                onClick={() => reorder.mutate(move(index, 1))}
              >
                Down
              </button>
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                aria-expanded={showMatches === rule.id}
                onClick={() => setShowMatches(showMatches === rule.id ? null : rule.id)}
              >
                Matches
              </button>
              <button type="button" className="btn btn-danger btn-sm" onClick={() => remove.mutate(rule.id)}>
                Delete
              </button>
            </span>
            {showMatches === rule.id && <RuleMatches appId={app.id} ruleId={rule.id} />}
          </li>
        ))}
      </ol>
      {rules.data && items.length === 0 && <p className="muted">No rules yet.</p>}
      <NewRule appId={app.id} />
      <RenameGroup appId={app.id} groups={[...new Set(items.flatMap((rule) => rule.set.groups))]} />
    </div>
  );
}

/** Renames a group the rules set, on the target too: the members stay in it. */
function RenameGroup({ appId, groups }: { appId: string; groups: string[] }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const rename = useAction(() => oneloginApi.rules.renameGroup(appId, { from, to }));
  if (groups.length === 0) return null;
  return (
    <fieldset className="fieldset">
      <legend>Rename a group</legend>
      <label className="field">
        <span>Group</span>
        <select aria-label="Group to rename" value={from} onChange={(e) => setFrom(e.target.value)}>
          <option value="">Select a group</option>
          {groups.map((group) => (
            <option key={group} value={group}>
              {group}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>New name</span>
        <input value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <ActionButton action={rename} variables={undefined}>
        Rename group
      </ActionButton>
      <ErrorMessage error={rename.error} />
      {rename.data && (
        <p role="status">
          {rename.data.renamedOnTarget
            ? 'Renamed on the target'
            : 'Not on the target yet; renamed in the rules'}
          : {rename.data.appUsers} users keep their membership.
        </p>
      )}
    </fieldset>
  );
}

function RuleMatches({ appId, ruleId }: { appId: string; ruleId: string }) {
  const matches = useQuery({
    queryKey: queryKeys.ruleMatches(appId, ruleId),
    queryFn: () => oneloginApi.rules.matches(appId, ruleId),
  });
  if (matches.error) return <ErrorMessage error={matches.error} />;
  if (!matches.data) return <p className="muted">Loading…</p>;
  return (
    <div role="status" aria-label="Rule matches">
      <p>Matches {matches.data.total} assigned users.</p>
      <ul>
        {matches.data.items.map((user) => (
          <li key={user.userId}>
            {user.name} ({user.email})
          </li>
        ))}
      </ul>
    </div>
  );
}

function NewRule({ appId }: { appId: string }) {
  const [name, setName] = useState('');
  const [attribute, setAttribute] = useState('department');
  const [operator, setOperator] = useState<(typeof OPERATORS)[number]>('equals');
  const [value, setValue] = useState('');
  const [groups, setGroups] = useState('');
  const [entitlements, setEntitlements] = useState('');
  const [stop, setStop] = useState(false);
  const condition = (): RuleCondition =>
    operator === 'exists'
      ? { attribute, operator }
      : operator === 'in'
        ? { attribute, operator, value: list(value) }
        : { attribute, operator, value };
  const create = useAction(() => {
    const input: RuleInput = {
      name,
      enabled: true,
      conditions: [condition()],
      set: { groups: list(groups), entitlements: list(entitlements) },
      stop,
    };
    return oneloginApi.rules.create(appId, input);
  });
  return (
    <fieldset className="fieldset">
      <legend>New rule</legend>
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>Attribute (or custom.&lt;key&gt;)</span>
        <input list="rule-attributes" value={attribute} onChange={(e) => setAttribute(e.target.value)} />
        <datalist id="rule-attributes">
          {ATTRIBUTES.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <label className="field">
        <span>Operator</span>
        <select value={operator} onChange={(e) => setOperator(e.target.value as (typeof OPERATORS)[number])}>
          {OPERATORS.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      {operator !== 'exists' && (
        <label className="field">
          <span>Value{operator === 'in' ? 's (comma-separated)' : ''}</span>
          <input value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
      )}
      <label className="field">
        <span>Set groups (comma-separated)</span>
        <input value={groups} onChange={(e) => setGroups(e.target.value)} />
      </label>
      <label className="field">
        <span>Set entitlements (comma-separated)</span>
        <input value={entitlements} onChange={(e) => setEntitlements(e.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" checked={stop} onChange={(e) => setStop(e.target.checked)} />
        Stop evaluating further rules when this one matches
      </label>
      <ActionButton action={create} variables={undefined} variant="primary">
        Add rule
      </ActionButton>
      {create.data && <p role="status">{reconciled(create.data)}</p>}
    </fieldset>
  );
}
