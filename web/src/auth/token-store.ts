const KEY = 'provisim.adminToken';

export const readToken = (): string | null => sessionStorage.getItem(KEY);

export const saveToken = (token: string): void => sessionStorage.setItem(KEY, token);

export const clearToken = (): void => sessionStorage.removeItem(KEY);

/** The token carried by a login URL (`/login#token=...`), if any. */
export const tokenFromHash = (hash: string): string | null => {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token?.trim() ? token.trim() : null;
};
