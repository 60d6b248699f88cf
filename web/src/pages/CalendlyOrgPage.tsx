import { Link, NavLink, Outlet, useNavigate, useOutletContext, useParams } from 'react-router';
import { api } from '../api/client.ts';
import type { Org } from '../api/types.ts';
import { ConfirmButton } from '../components/ConfirmButton/ConfirmButton.tsx';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useOrg } from '../hooks/use-orgs.ts';

const TABS = [
  ['sso', 'Single sign-on'],
  ['people', 'People'],
  ['groups', 'Groups'],
  ['requests', 'Request journal'],
  ['simulation', 'Simulation'],
] as const;

/** Account > Organization Settings of one simulated Calendly org. */
export function CalendlyOrgPage() {
  const { orgId = '' } = useParams();
  const org = useOrg(orgId);
  const navigate = useNavigate();
  const remove = useAction(() => api.target.removeOrg(orgId));
  return (
    <section className="calendly">
      <div className="calendly-banner">Calendly · built-in target</div>
      <p className="breadcrumb">
        <Link to="/calendly">Organizations</Link> ›
      </p>
      <ErrorMessage error={org.error} />
      {org.data && (
        <>
          <div className="page-head">
            <h1>{org.data.name} · Organization Settings</h1>
            <span className="toolbar">
              <ConfirmButton
                action={remove}
                label="Delete organization"
                title="Delete organization"
                confirmLabel="Delete"
                onDone={() => navigate('/calendly')}
              >
                Delete {org.data.name} with its users, tokens and request journal?
              </ConfirmButton>
            </span>
          </div>
          <nav className="tabs" aria-label="Organization settings">
            {TABS.map(([path, label]) => (
              <NavLink
                key={path}
                to={`/calendly/${orgId}/${path}`}
                className={({ isActive }) => (isActive ? 'tab active' : 'tab')}
              >
                {label}
              </NavLink>
            ))}
          </nav>
          <Outlet context={org.data} />
        </>
      )}
    </section>
  );
}

export const useCurrentOrg = (): Org => useOutletContext<Org>();
