/**
 * --diff: marks from the kernel's diff (real fixture), badges on boxes and
 * names, the change list; and the marks of a step.
 */
import { badgeText } from '../diff/changes';
import { describeMarks, marksFromDiff } from '../diff/diff-marks';
import type { RedpillPayload } from '../model/payload.generated';
import { fixture, render } from './helpers';

const diff = (): RedpillPayload => fixture('diff.json');

describe('diff marks', () => {
  it('reads the kernel diff', () => {
    const marks = marksFromDiff(diff().diff!);
    expect(marks.first).toBe(false);
    expect([...marks.names]).toEqual([
      ['q', 'rebound'],
      ['r', 'new']
    ]);
    const list = [...marks.objects.values()].find(m => m.changed)!;
    expect(list.refcount).toEqual([1, 2]);
    expect(badgeText(list)).toBe('refcnt 1 → 2 ↑ · contents changed');
    expect(marks.gone.map(g => g.status)).toEqual(['gone']);
    const lines = describeMarks(marks);
    expect(lines).toContain('New names: r');
    expect(lines).toContain('Rebound: q');
    expect(lines.some(l => l.startsWith('No longer drawn: str'))).toBe(true);
  });

  it('warns about a new object at a freed address', () => {
    const marks = marksFromDiff({
      previous: { serial: 1, names: 1 },
      names: [],
      objects: [
        {
          address: '0x10',
          type: 'list',
          status: 'reused',
          type_before: 'dict',
          certain: true
        }
      ]
    });
    expect(badgeText(marks.objects.get('0x10')!)).toMatch(/freed address/);
    expect(describeMarks(marks)[0]).toMatch(
      /Address reuse: a new object \(was dict\) at 0x10/
    );
  });

  it('says so when there is nothing to compare with', () => {
    expect(
      describeMarks(marksFromDiff({ previous: null, names: [], objects: [] }))
    ).toEqual(['No earlier snapshot in this kernel to compare with.']);
  });
});

describe('diff in the widget', () => {
  it('draws badges and the change list', async () => {
    const w = await render(diff(), { staticCopies: false });
    const badge = [...w.node.querySelectorAll('.jp-Redpill-changeBadge')].find(
      b => b.textContent!.includes('refcnt')
    )!;
    expect(badge.textContent).toContain('refcnt 1 → 2 ↑');
    expect(badge.closest('.jp-Redpill-box')!.classList).toContain(
      'jp-Redpill-change-up'
    );
    const rebound = w.node.querySelector('.jp-Redpill-name[data-name="q"]')!;
    expect(rebound.classList).toContain('jp-Redpill-name-rebound');
    expect(w.node.querySelector('.jp-Redpill-changes')!.textContent).toContain(
      'Changes since snapshot 3'
    );
    w.dispose();
  });
});
