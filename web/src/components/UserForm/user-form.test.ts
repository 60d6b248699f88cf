import { describe, expect, it } from 'vitest';
import { parseCustomFields } from './UserForm.tsx';

describe('parseCustomFields', () => {
  it('reads name=value lines, keeps = inside values and skips lines without a name or =', () => {
    expect(parseCustomFields('costCenter = CC-42\nquery=a=b\n\nnoequals\n=orphan')).toEqual({
      costCenter: 'CC-42',
      query: 'a=b',
    });
  });
});
