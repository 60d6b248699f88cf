import { Link, NavLink, Outlet, useOutletContext, useParams } from 'react-router';
import type { Org } from '../api/types.ts';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { useOrg } from '../hooks/use-orgs.ts';

const TABS = [
  ['sso', 'Single sign-on'],
  ['people', 'People'],
  ['requests', 'Request journal'],
  ['simulation', 'Simulation'],
] as const;

/** Account > Organization Settings of one simulated Calendly org. */
export function CalendlyOrgPage() {
  const { orgId = '' } = useParams();
  const org = useOrg(orgId);
  return (
    <section className="calendly">
      <div className="calendly-banner">Calendly · built-in target</div>
      <p className="breadcrumb">
        <Link to="/calendly">Organizations</Link> ›
      </p>
      <ErrorMessage error={org.error} />
      {org.data && (
        <>
          <h1>{org.data.name} · Organization Settings</h1>
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
