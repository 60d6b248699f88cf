import { NavLink, useNavigate } from 'react-router';
import { clearToken } from '../../auth/token-store.ts';

type Props = { walkthroughOpen: boolean; onToggleWalkthrough: () => void };

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
        <NavLink to="/" end className={navClass}>
          Overview
        </NavLink>
        <NavLink to="/users" end className={navClass}>
          Users
        </NavLink>
        <NavLink to="/provisioning" className={navClass}>
          Provisioning
        </NavLink>
        <NavLink to="/roles" className={navClass}>
          Roles
        </NavLink>
        <NavLink to="/apps" className={navClass}>
          Applications
        </NavLink>
        <NavLink to="/calendly" className={navClass}>
          Calendly
        </NavLink>
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
