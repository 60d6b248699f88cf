import { NavLink } from 'react-router';

const ITEMS = [
  ['configuration', 'Configuration'],
  ['parameters', 'Parameters'],
  ['provisioning', 'Provisioning'],
  ['users', 'Users'],
  ['import', 'Import'],
  ['rules', 'Rules'],
] as const;

/** The left menu of an app page, as in OneLogin. */
export function AppMenu({ appId }: { appId: string }) {
  return (
    <nav className="side-menu" aria-label="App settings">
      {ITEMS.map(([path, label]) => (
        <NavLink
          key={path}
          to={`/apps/${appId}/${path}`}
          className={({ isActive }) => (isActive ? 'side-link active' : 'side-link')}
        >
          {label}
        </NavLink>
      ))}
    </nav>
  );
}
