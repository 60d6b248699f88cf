import { useState } from 'react';
import { api } from '../api/client.ts';
import type { IssuedToken } from '../api/types.ts';
import { ActionButton } from '../components/ActionButton/ActionButton.tsx';
import { CopyButton } from '../components/CopyButton/CopyButton.tsx';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useCurrentOrg } from './CalendlyOrgPage.tsx';

const LIFETIMES = [30, 90, 180, 365];

/** Single sign-on: SAML configured/enforced, 'Optional: Connect SCIM', Base URL and bearer token. */
export function CalendlySsoPage() {
  const org = useCurrentOrg();
  const [lifetimeDays, setLifetimeDays] = useState(90);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const saveSso = useAction((sso: { configured: boolean; enforced: boolean }) =>
    api.target.saveSso(org.id, sso),
  );
  const setScim = useAction((enabled: boolean) => api.target.setScim(org.id, enabled));
  const generate = useAction(() => api.target.generateToken(org.id, lifetimeDays));

  return (
    <div className="card">
      <h2>Single sign-on</h2>
      <fieldset className="fieldset">
        <legend>SAML SSO</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={org.sso.configured}
            disabled={saveSso.isPending}
            onChange={(event) =>
              saveSso.mutate({
                configured: event.target.checked,
                enforced: event.target.checked && org.sso.enforced,
              })
            }
          />
          SAML SSO configured
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={org.sso.enforced}
            disabled={saveSso.isPending || !org.sso.configured}
            onChange={(event) =>
              saveSso.mutate({ configured: org.sso.configured, enforced: event.target.checked })
            }
          />
          Enforce SAML SSO for all members
        </label>
        <ErrorMessage error={saveSso.error} />
      </fieldset>
      <fieldset className="fieldset">
        <legend>Optional: Connect SCIM</legend>
        {!(org.sso.configured && org.sso.enforced) && (
          <p className="hint">SCIM provisioning needs SAML SSO configured and enforced.</p>
        )}
        <label className="check switch">
          <input
            type="checkbox"
            role="switch"
            aria-checked={org.scimEnabled}
            checked={org.scimEnabled}
            disabled={setScim.isPending}
            onChange={(event) => setScim.mutate(event.target.checked)}
          />
          SCIM provisioning
        </label>
        <ErrorMessage error={setScim.error} />
        {org.scimEnabled && (
          <>
            <label className="field">
              <span>Base URL</span>
              <input readOnly value={org.scimBaseUrl} className="mono" aria-label="Base URL" />
            </label>
            <p>
              <CopyButton text={org.scimBaseUrl} label="Copy Base URL" />
            </p>
            <label className="field">
              <span>Token lifetime</span>
              <select value={lifetimeDays} onChange={(event) => setLifetimeDays(Number(event.target.value))}>
                {LIFETIMES.map((days) => (
                  <option key={days} value={days}>
                    {days} days
                  </option>
                ))}
              </select>
            </label>
            {org.token && (
              <p className="hint">
                A bearer token is active until {new Date(org.token.expiresAt).toLocaleString()}. Generating a
                new one revokes it.
              </p>
            )}
            <ActionButton action={generate} variables={undefined} variant="primary" onDone={setIssued}>
              Generate new bearer token
            </ActionButton>
            {issued && (
              <div className="token-once">
                <p className="warning">
                  Copy this token now: it will not be shown again. The previous token is revoked.
                </p>
                <label className="field">
                  <span>Bearer token (expires {new Date(issued.expiresAt).toLocaleDateString()})</span>
                  <input readOnly value={issued.token} className="mono" aria-label="Bearer token" />
                </label>
                <p>
                  <CopyButton text={issued.token} label="Copy token" />
                </p>
              </div>
            )}
          </>
        )}
      </fieldset>
    </div>
  );
}
