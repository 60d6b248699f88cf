import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import { readToken, saveToken, tokenFromHash } from '../auth/token-store.ts';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';

/** Sign-in: the printed login URL carries the token in its fragment; pasting it works too. */
export function LoginPage() {
  const navigate = useNavigate();
  const [token, setToken] = useState('');
  const fromHash = tokenFromHash(window.location.hash);
  const check = useMutation({ mutationFn: (candidate: string) => api.checkToken(candidate) });

  useEffect(() => {
    if (!fromHash) return;
    saveToken(fromHash);
    // The token must not stay in the address bar or the history.
    window.history.replaceState(null, '', '/login');
    navigate('/', { replace: true });
  }, [fromHash, navigate]);

  if (!fromHash && readToken()) return <Navigate to="/" replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const candidate = token.trim();
    check.mutate(candidate, {
      onSuccess: () => {
        saveToken(candidate);
        navigate('/', { replace: true });
      },
    });
  };

  return (
    <div className="login">
      <form className="card login-card" onSubmit={submit}>
        <h1>provisim</h1>
        <p className="muted">Sign in with the admin token printed when provisim started.</p>
        <label className="field">
          <span>Admin token</span>
          <input
            type="password"
            name="token"
            autoComplete="off"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            required
          />
        </label>
        <button type="submit" className="btn btn-primary" disabled={check.isPending || !token.trim()}>
          Sign in{check.isPending && <span className="spinner" aria-hidden="true" />}
        </button>
        <ErrorMessage error={check.error} />
      </form>
    </div>
  );
}
