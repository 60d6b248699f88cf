import type { Dispatcher } from 'undici';

/** A target's answer, read whole: its status, the two headers the client reads, its body as text. */
export interface Answer {
  status: number;
  contentType: string | undefined;
  retryAfter: string | undefined;
  text: string;
}

/** A header's values in one string, several as undici's own parsing reads them (`String` of their list). */
const joined = (before: string | undefined, value: string): string => (before ? `${before},${value}` : value);

/**
 * Sends one request through `dispatcher` and reads its answer whole, as undici's `request` and
 * `body.text()` do (the same errors, a UTF-8 BOM dropped) without the answer's stream, which every call
 * of a push paid for though its answer is a small JSON read at once. Informational (1xx) answers are
 * passed over; the dispatcher's limits (timeouts, the largest answer) apply as they do to `request`.
 */
export function answerText(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let contentType: string | undefined;
    let retryAfter: string | undefined;
    const chunks: Buffer[] = [];
    dispatcher.dispatch(options, {
      onConnect: () => {},
      onHeaders: (statusCode, rawHeaders) => {
        if (statusCode < 200) return true;
        status = statusCode;
        for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
          const name = String(rawHeaders[i]).toLowerCase();
          if (name === 'content-type') contentType = joined(contentType, String(rawHeaders[i + 1]));
          else if (name === 'retry-after') retryAfter = joined(retryAfter, String(rawHeaders[i + 1]));
        }
        return true;
      },
      onData: (chunk) => {
        chunks.push(chunk);
        return true;
      },
      onComplete: () => {
        const body = Buffer.concat(chunks);
        const bom = body.length > 2 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
        resolve({ status, contentType, retryAfter, text: body.toString('utf8', bom ? 3 : 0) });
      },
      onError: reject,
    });
  });
}
