/**
 * The renderer hides what a quiz or `--hide` hides, as the kernel's fallbacks
 * do: `tests/fixtures/masking.json` is shared with the pytest test
 * `tests/test_masking.py`; both `maskPayload()` and the fallbacks' `mask()`
 * must leave nothing of a hidden value in what they show.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import type { RedpillPayload } from '../model/payload.generated';
import { maskPayload } from '../quiz/mask';
import { ROOT } from './helpers';

interface ICase {
  hidden: string[];
  objects?: Record<string, unknown>;
  absent?: string[];
  fields?: string[];
  no_addresses?: boolean;
  not_immortal?: boolean;
}

const fixture = JSON.parse(
  readFileSync(join(ROOT, 'tests', 'fixtures', 'masking.json'), 'utf8')
) as { payload_file: string; cases: ICase[] };
const payload = JSON.parse(
  readFileSync(join(ROOT, fixture.payload_file), 'utf8')
) as RedpillPayload;

/** What `masked` still shows of the values `c` hides (empty: nothing). */
function shownProblems(c: ICase, masked: RedpillPayload): string[] {
  const problems: string[] = [];
  for (const o of masked.objects) {
    const entry = o as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(c.objects ?? {})) {
      if (entry[key] !== value) {
        problems.push(`${key} of an object is ${JSON.stringify(entry[key])}`);
      }
    }
    for (const key of c.absent ?? []) {
      if (key in entry) {
        problems.push(`an object keeps ${key}`);
      }
    }
    for (const f of o.fields ?? []) {
      if ((c.fields ?? []).includes(f.name) && f.value !== '?') {
        problems.push(`field ${f.name} shows ${JSON.stringify(f.value)}`);
      }
    }
    if (c.not_immortal && o.immortal === true) {
      problems.push('an object says it is immortal');
    }
  }
  if (c.no_addresses) {
    const text = JSON.stringify(masked).toLowerCase();
    for (const o of payload.objects) {
      if (text.includes(o.address.toLowerCase())) {
        problems.push(`${o.address} appears`);
      }
    }
  }
  return problems;
}

describe('maskPayload follows the shared fixture', () => {
  it('would catch an unmasked payload', () => {
    for (const c of fixture.cases) {
      expect(shownProblems(c, payload).length).toBeGreaterThan(0);
    }
  });

  it.each(fixture.cases.map(c => [c.hidden.join('+'), c] as const))(
    '%s',
    (_name, c) => {
      const masked = maskPayload({
        ...payload,
        hidden_fields: c.hidden as RedpillPayload['hidden_fields']
      });
      expect(shownProblems(c, masked)).toEqual([]);
    }
  );
});
