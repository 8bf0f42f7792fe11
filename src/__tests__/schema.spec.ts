/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON, mutated into invalid shapes on purpose */
/**
 * The contract: fixtures are valid v1 payloads (checked by ajv compiling the
 * real schema), and the precompiled validator agrees with ajv.
 */
import Ajv from 'ajv';
import { readdirSync } from 'fs';
import { join } from 'path';

import { validatePayload } from '../model/validate';
import { fixture, schema, syntheticPayload } from './helpers';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(schema());

const fixtures = readdirSync(join(__dirname, 'fixtures')).filter(
  f => f.endsWith('.json') && !f.startsWith('invalid-')
);

describe('fixtures follow schema/payload.v1.json', () => {
  it.each(fixtures)('%s is a valid payload', name => {
    const ok = validate(fixture(name));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([10, 100, 1000])('the synthetic %i-object payload is valid', n => {
    expect(validate(syntheticPayload(n))).toBe(true);
  });

  it('skeleton.json is age = 1042; b = age', () => {
    const p = fixture('skeleton.json');
    expect(p.names.map((n: any) => n.name)).toEqual(['age', 'b']);
    expect(p.names[0].object).toBe(p.names[1].object);
    expect(p.objects).toHaveLength(1);
    const [obj] = p.objects;
    expect(obj).toMatchObject({ type: 'int', refcount: 2 });
    expect(obj.int.digits).toEqual([1042]);
    expect(obj.fields.map((f: any) => [f.name, f.offset])).toEqual([
      ['ob_refcnt', 0],
      ['ob_type', 8],
      ['lv_tag', 16],
      ['ob_digit[0]', 24]
    ]);
  });
});

describe('generated code', () => {
  it('the precompiled validator agrees with ajv', () => {
    const good = fixture('kinds.json');
    const cases: unknown[] = [good];
    const mutate = (f: (p: any) => void) => {
      const p = JSON.parse(JSON.stringify(good));
      f(p);
      cases.push(p);
    };
    mutate(p => delete p.objects);
    mutate(p => (p.names[0].object = '0xZZ'));
    mutate(p => (p.objects[0].refcount = 'two'));
    mutate(p => (p.objects[0].kind = 'spaceship'));
    mutate(p => (p.objects[0].extra = 1));
    mutate(p => (p.interpreter.pointer_size = 16));
    mutate(
      p => (p.objects[0].memory = { address: '0x10', size: 2, hex: 'abc' })
    );
    mutate(p => (p.objects[0].holders = [{ name: 'x', object: '0x10' }]));
    mutate(p => (p.objects[0].int.sign = 2));
    mutate(p => (p.objects[6].items = [null, '0x1', 3]));
    for (const c of cases) {
      expect(validatePayload(c).ok).toBe(validate(c));
    }
  });
});
