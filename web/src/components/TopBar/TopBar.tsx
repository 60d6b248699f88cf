import { NavLink, useNavigate } from 'react-router';
import { clearToken } from '../../auth/token-store.ts';

type Props = { walkthroughOpen: boolean; onToggleWalkthrough: () => void };

// [path, label, active on the exact path only]: /users/:id is not the Users list, /apps/:id is an app.
const SECTIONS = [
  ['/', 'Overview', true],
  ['/users', 'Users', true],
  ['/provisioning', 'Provisioning', false],
  ['/roles', 'Roles', false],
  ['/apps', 'Applications', false],
  ['/calendly', 'Calendly', false],
] as const;

const navClass = ({ isActive }: { isActive: boolean }) => (isActive ? 'topnav-link active' : 'topnav-link');

export function TopBar({ walkthroughOpen, onToggleWalkthrough }: Props) {
  const navigate = useNavigate();
  const signOut = () => {
    clearToken();
    navigate('/login');
  };
  return (
    <header className="topbar">
      <span className="brand">provisim</span>
      <nav className="topnav" aria-label="Main">
        {SECTIONS.map(([to, label, end]) => (
          <NavLink key={to} to={to} end={end} className={navClass}>
            {label}
          </NavLink>
        ))}
      </nav>
      <span className="topbar-actions">
        <button
          type="button"
          className="btn btn-ghost"
          aria-pressed={walkthroughOpen}
          onClick={onToggleWalkthrough}
        >
          Walkthrough
        </button>
        <button type="button" className="btn btn-ghost" onClick={signOut}>
          Sign out
        </button>
      </span>
    </header>
  );
}
