const KEY = 'provisim.adminToken';

export const readToken = (): string | null => sessionStorage.getItem(KEY);

export const saveToken = (token: string): void => sessionStorage.setItem(KEY, token);

export const clearToken = (): void => sessionStorage.removeItem(KEY);

const decode = (raw: string): string => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/**
 * The token carried by a login URL (`/login#token=...`), if any. The server prints the token as is,
 * so a `+` stays a `+` (URLSearchParams would read it as a space).
 */
export const tokenFromHash = (hash: string): string | null => {
  const raw = /(?:^|&)token=([^&]*)/.exec(hash.replace(/^#/, ''))?.[1];
  const token = raw === undefined ? '' : decode(raw).trim();
  return token || null;
};
