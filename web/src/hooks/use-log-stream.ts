import { createParser } from 'eventsource-parser';
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { authHeaders } from '../api/http.ts';
import type { LogEvent } from '../api/types.ts';

export type StreamState = 'connecting' | 'live' | 'off';

const RECONNECT_MS = 3000;

/**
 * Follows the provisioning log's Server-Sent Events. EventSource cannot send the admin token,
 * so the stream is read with fetch and parsed with eventsource-parser.
 */
export const useLogStream = (
  appId: string | undefined,
  enabled: boolean,
  /** Called with each new event; with none after a reconnect, when events may have been missed. */
  onEntry: (event?: LogEvent) => void,
): StreamState => {
  const [state, setState] = useState<StreamState>('off');

  useEffect(() => {
    if (!enabled) {
      setState('off');
      return;
    }
    const controller = new AbortController();
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let reconnecting = false;

    const connect = async (): Promise<void> => {
      setState('connecting');
      try {
        const response = await fetch(api.log.streamPath(appId), {
          headers: { Accept: 'text/event-stream', ...authHeaders() },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        setState('live');
        // Whatever was logged while the stream was down is fetched with the page again.
        if (reconnecting) onEntry();
        const parser = createParser({ onEvent: (message) => onEntry(JSON.parse(message.data) as LogEvent) });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(value);
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      if (controller.signal.aborted) return;
      setState('connecting');
      reconnecting = true;
      retryTimer = setTimeout(() => void connect(), RECONNECT_MS);
    };
    void connect();

    return () => {
      controller.abort();
      clearTimeout(retryTimer);
    };
  }, [appId, enabled, onEntry]);

  return state;
};
