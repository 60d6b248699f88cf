import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { MAX_PAGE } from '../api/every-item.ts';
import { walkthroughApp, walkthroughOrg, walkthroughSteps } from '../walkthrough/steps.ts';
import { queryKeys } from './query-keys.ts';
import { useApps } from './use-apps.ts';
import { useAllOrgs } from './use-orgs.ts';

/**
 * The walkthrough's steps computed from the live state of both sides. `paused` stops the polls of the
 * org's people and the log while a reset deletes that org and app, so none asks for what is gone.
 */
export const useWalkthrough = (paused = false) => {
  const apps = useApps();
  const orgs = useAllOrgs();
  const app = walkthroughApp(apps.data ?? []);
  const org = walkthroughOrg(orgs.data ?? [], app);
  const orgUsers = useQuery({
    queryKey: queryKeys.target.walkthroughUsers(org?.id ?? ''),
    queryFn: async () => (await api.target.users(org?.id ?? '', { limit: MAX_PAGE })).items,
    enabled: org !== undefined && !paused,
    refetchInterval: 2000,
  });
  const logHasPush = useQuery({
    queryKey: ['log', 'walkthrough', app?.id],
    enabled: app !== undefined && !paused,
    refetchInterval: 3000,
    queryFn: async () =>
      (await api.log.list({ appId: app?.id, status: 'succeeded', limit: 1 })).items.length > 0,
  });
  const steps = walkthroughSteps({
    apps: apps.data ?? [],
    orgs: orgs.data ?? [],
    orgUsers: orgUsers.data ?? [],
    logHasPush: logHasPush.data ?? false,
  });
  return { steps, isLoading: apps.isLoading || orgs.isLoading, error: apps.error ?? orgs.error };
};
