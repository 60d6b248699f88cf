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
    dispatcher.dispatch(options, new AnswerReader(resolve, reject));
  });
}

/** The handler undici calls as the answer comes: a class, so that a call makes no closures for it. */
class AnswerReader implements Dispatcher.DispatchHandlers {
  private status = 0;
  private contentType: string | undefined;
  private retryAfter: string | undefined;
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly resolve: (answer: Answer) => void,
    readonly onError: (error: Error) => void,
  ) {}

  onConnect(): void {}

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (statusCode < 200) return true;
    this.status = statusCode;
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = String(rawHeaders[i]).toLowerCase();
      if (name === 'content-type') this.contentType = joined(this.contentType, String(rawHeaders[i + 1]));
      else if (name === 'retry-after') this.retryAfter = joined(this.retryAfter, String(rawHeaders[i + 1]));
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    const body = Buffer.concat(this.chunks);
    const bom = body.length > 2 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
    const { status, contentType, retryAfter } = this;
    this.resolve({ status, contentType, retryAfter, text: body.toString('utf8', bom ? 3 : 0) });
  }
}
