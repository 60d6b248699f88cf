import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fromSevenBit, textCompactor } from './compact-text.ts';

describe('textCompactor', () => {
  const vocabulary = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"';
  const compactor = textCompactor(vocabulary);
  const deflated = (text: string) =>
    deflateRawSync(text, { dictionary: Buffer.from(vocabulary), level: 6, windowBits: 12, memLevel: 6 });

  it('writes the bytes deflateRawSync writes, text after text, and reads them back', () => {
    const texts = [
      '',
      `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@x.test","active":true}`,
      'é'.repeat(3000),
      `${'{"userName":"bob@x.test"}'.repeat(2)}`,
      // Output larger than the engine's buffer: done by deflateRawSync itself.
      randomBytes(80 * 1024).toString('base64'),
      'after the large one',
    ];
    for (const text of [...texts, ...texts]) {
      const packed = compactor.compress(text);
      expect(fromSevenBit(packed).equals(deflated(text))).toBe(true);
      expect(compactor.decompress(packed)).toBe(text);
    }
  });
});
