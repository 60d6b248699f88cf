import { createBrowserRouter, Navigate } from 'react-router';
import { Shell } from './components/Shell/Shell.tsx';
import { AddAppPage } from './pages/AddAppPage.tsx';
import { AppConfigurationPage } from './pages/AppConfigurationPage.tsx';
import { AppImportPage } from './pages/AppImportPage.tsx';
import { AppPage } from './pages/AppPage.tsx';
import { AppParametersPage } from './pages/AppParametersPage.tsx';
import { AppProvisioningPage } from './pages/AppProvisioningPage.tsx';
import { AppRulesPage } from './pages/AppRulesPage.tsx';
import { AppsPage } from './pages/AppsPage.tsx';
import { AppUsersPage } from './pages/AppUsersPage.tsx';
import { CalendlyGroupsPage } from './pages/CalendlyGroupsPage.tsx';
import { CalendlyOrgPage } from './pages/CalendlyOrgPage.tsx';
import { CalendlyOrgsPage } from './pages/CalendlyOrgsPage.tsx';
import { CalendlyPeoplePage } from './pages/CalendlyPeoplePage.tsx';
import { CalendlyRequestsPage } from './pages/CalendlyRequestsPage.tsx';
import { CalendlySimulationPage } from './pages/CalendlySimulationPage.tsx';
import { CalendlySsoPage } from './pages/CalendlySsoPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { OverviewPage } from './pages/OverviewPage.tsx';
import { ProvisioningLogPage } from './pages/ProvisioningLogPage.tsx';
import { RolesPage } from './pages/RolesPage.tsx';
import { UserPage } from './pages/UserPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: <Shell />,
    children: [
      { index: true, element: <OverviewPage /> },
      { path: 'apps', element: <AppsPage /> },
      { path: 'apps/new', element: <AddAppPage /> },
      {
        path: 'apps/:appId',
        element: <AppPage />,
        children: [
          { index: true, element: <Navigate to="configuration" replace /> },
          { path: 'configuration', element: <AppConfigurationPage /> },
          { path: 'parameters', element: <AppParametersPage /> },
          { path: 'provisioning', element: <AppProvisioningPage /> },
          { path: 'users', element: <AppUsersPage /> },
          { path: 'import', element: <AppImportPage /> },
          { path: 'rules', element: <AppRulesPage /> },
        ],
      },
      { path: 'users', element: <UsersPage /> },
      { path: 'users/:userId', element: <UserPage /> },
      { path: 'roles', element: <RolesPage /> },
      { path: 'provisioning', element: <ProvisioningLogPage /> },
      { path: 'calendly', element: <CalendlyOrgsPage /> },
      {
        path: 'calendly/:orgId',
        element: <CalendlyOrgPage />,
        children: [
          { index: true, element: <Navigate to="sso" replace /> },
          { path: 'sso', element: <CalendlySsoPage /> },
          { path: 'people', element: <CalendlyPeoplePage /> },
          { path: 'groups', element: <CalendlyGroupsPage /> },
          { path: 'requests', element: <CalendlyRequestsPage /> },
          { path: 'simulation', element: <CalendlySimulationPage /> },
        ],
      },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
]);
