import { Link, Outlet, useNavigate, useOutletContext, useParams } from 'react-router';
import { api } from '../api/client.ts';
import type { App } from '../api/types.ts';
import { AppMenu } from '../components/AppMenu/AppMenu.tsx';
import { ConfirmButton } from '../components/ConfirmButton/ConfirmButton.tsx';
import { DeletionHoldBanner } from '../components/DeletionHoldBanner/DeletionHoldBanner.tsx';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { StateBadge } from '../components/StateBadge/StateBadge.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useApp } from '../hooks/use-apps.ts';

/** An app's page: its name and the left menu; the tab below gets the app through the outlet context. */
export function AppPage() {
  const { appId = '' } = useParams();
  const app = useApp(appId);
  const navigate = useNavigate();
  const remove = useAction(() => api.apps.remove(appId));
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/apps">Applications</Link> ›
      </p>
      <ErrorMessage error={app.error} />
      {app.isLoading && <p className="muted">Loading…</p>}
      {app.data && (
        <>
          <div className="page-head">
            <h1>{app.data.name}</h1>
            <StateBadge state={app.data.configuration.apiConnection} />
            <span className="toolbar">
              <ConfirmButton
                action={remove}
                label="Delete app"
                title="Delete app"
                confirmLabel="Delete"
                onDone={() => navigate('/apps')}
              >
                Delete {app.data.name}? Its queue is drained and removed; accounts on the target are left as
                they are.
              </ConfirmButton>
            </span>
          </div>
          {app.data.quarantine && (
            <p className="warning" role="status">
              Quarantined since {new Date(app.data.quarantine.since).toLocaleString()}:{' '}
              {app.data.quarantine.reason}. Pushes are paused; Enable the API Connection again to resume.
            </p>
          )}
          <DeletionHoldBanner app={app.data} />
          <div className="app-layout">
            <AppMenu appId={appId} />
            <div className="app-tab">
              <Outlet context={app.data} />
            </div>
          </div>
        </>
      )}
    </section>
  );
}

export const useCurrentApp = (): App => useOutletContext<App>();
