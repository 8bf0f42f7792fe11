/**
 * The renderer explains C fields as the kernel's fallbacks do:
 * `tests/fixtures/field-notes.json` is shared with the pytest test
 * `tests/test_field_notes.py`; both `fieldNote()` and the fallbacks'
 * `field_note()` must give each case's note.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { fieldNote } from '../draw/details';
import type { Field, RedpillObject } from '../model/payload.generated';
import { ROOT } from './helpers';

interface ICase {
  field: Field;
  object: Partial<RedpillObject>;
  note: string;
}

const cases = (
  JSON.parse(
    readFileSync(join(ROOT, 'tests', 'fixtures', 'field-notes.json'), 'utf8')
  ) as { cases: ICase[] }
).cases.map(c => [`${c.field.name} → ${JSON.stringify(c.note)}`, c] as const);

describe('fieldNote follows the shared fixture', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(5);
  });

  it.each(cases)('%s', (_name, c) => {
    expect(fieldNote(c.field, c.object as RedpillObject)).toBe(c.note);
  });
});
