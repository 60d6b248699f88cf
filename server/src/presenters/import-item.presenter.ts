import type { StoredImportItem } from '../../../shared/src/store/import-reports.store.ts';
import type { ImportItem } from '../../../shared/src/types/import.schema.ts';

/** An imported account as the API shows it: what was read of the target stays internal. */
export const importItemView = ({ observed: _observed, ...item }: StoredImportItem): ImportItem => item;
