import { useState } from 'react';
import { Navigate, Outlet } from 'react-router';
import { readToken } from '../../auth/token-store.ts';
import { TopBar } from '../TopBar/TopBar.tsx';
import { WalkthroughPanel } from '../WalkthroughPanel/WalkthroughPanel.tsx';

const PANEL_KEY = 'provisim.walkthroughOpen';

/** The signed-in frame: top bar, the page, and the trainer's walkthrough panel. */
export function Shell() {
  const [open, setOpen] = useState(() => sessionStorage.getItem(PANEL_KEY) !== 'false');
  if (!readToken()) return <Navigate to="/login" replace />;
  const toggle = () => {
    sessionStorage.setItem(PANEL_KEY, String(!open));
    setOpen(!open);
  };
  return (
    <div className="shell">
      <TopBar walkthroughOpen={open} onToggleWalkthrough={toggle} />
      <div className="shell-body">
        <main className="content">
          <Outlet />
        </main>
        {open && <WalkthroughPanel />}
      </div>
    </div>
  );
}
