import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { PagedTable } from '../components/PagedTable/PagedTable.tsx';
import { queryKeys } from '../hooks/query-keys.ts';
import { useCursorPages } from '../hooks/use-cursor-pages.ts';
import { useCurrentOrg } from './CalendlyOrgPage.tsx';

const GROUPS_PAGE = 25;

/** Groups: what SCIM made of the IdP's group pushes (e.g. one per department), with their members. */
export function CalendlyGroupsPage() {
  const org = useCurrentOrg();
  const pages = useCursorPages();
  const groups = useQuery({
    queryKey: queryKeys.target.groups(org.id, pages.cursor),
    queryFn: () => api.target.groups(org.id, { cursor: pages.cursor, limit: GROUPS_PAGE }),
    placeholderData: keepPreviousData,
    refetchInterval: 2000,
  });
  return (
    <div className="card">
      <h2>Groups</h2>
      <ErrorMessage error={groups.error} />
      <PagedTable
        className="table groups"
        columns={['Group', 'Members']}
        data={groups.data}
        pages={pages}
        empty="No groups yet: they appear when the SCIM Provisioner app maps a user field to groups."
        row={(group) => (
          <tr key={group.scimId} data-group={group.displayName}>
            <td>{group.displayName}</td>
            <td>
              {group.members.length === 0 ? (
                <span className="muted">no members</span>
              ) : (
                group.members.map((m) => m.userName ?? m.value).join(', ')
              )}
            </td>
          </tr>
        )}
      />
    </div>
  );
}
