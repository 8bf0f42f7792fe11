/**
 * The C story of an object in the details panel: how CPython made it (the
 * constructor's call path, each function linked to its line in CPython's
 * source at the kernel's release tag), where it lives (the allocator's
 * block), and its struct as CPython declares it, each declared member linked
 * to its bytes in the memory view. Links are built here from one fixed
 * prefix, after checking the tag and the file against fixed patterns: a
 * payload can never make the renderer open another URL. HTML built with
 * createElement/textContent only; no JupyterLab imports.
 */
import type { IRedpillModel } from '../model/model';
import { own } from '../model/own';
import type {
  Field,
  RedpillObject,
  RedpillPayload
} from '../model/payload.generated';
import { htmlEl } from '../dom';

/** The only place a source link may point to. */
export const CPYTHON_BLOB = 'https://github.com/python/cpython/blob/';

const TAG = /^v3\.\d+\.\d+((a|b|rc)\d+)?$/;
const FILE = /^(Include|Objects|Python|Modules)\/[A-Za-z0-9_/.-]+\.(c|h)$/;
const MAX_LINE = 1000000;

/** One constructor's story, as the payload's `births` holds it. */
export type Birth = NonNullable<RedpillPayload['births']>[string];
/** One struct's declaration, as the payload's `declarations` holds it. */
export type Declaration = NonNullable<RedpillPayload['declarations']>[string];

/**
 * The GitHub address of `file` (at `line`, when given) in CPython's source at
 * release `tag`, or null when the tag, the file or the line is not of the
 * form they must have.
 */
export function sourceUrl(
  tag: unknown,
  file: unknown,
  line?: unknown
): string | null {
  if (typeof tag !== 'string' || !TAG.test(tag)) {
    return null;
  }
  if (
    typeof file !== 'string' ||
    !FILE.test(file) ||
    file.split('/').some(part => part === '.' || part === '..' || !part)
  ) {
    return null;
  }
  let anchor = '';
  if (line !== undefined) {
    if (
      typeof line !== 'number' ||
      !Number.isInteger(line) ||
      line < 1 ||
      line > MAX_LINE
    ) {
      return null;
    }
    anchor = `#L${line}`;
  }
  return `${CPYTHON_BLOB}${tag}/${file}${anchor}`;
}

/** The birth an object names, if the payload carries it. */
export function birthOf(
  payload: RedpillPayload,
  obj: RedpillObject
): Birth | undefined {
  return obj.birth === undefined ? undefined : own(payload.births, obj.birth);
}

/** The declaration an object names, if the payload carries it. */
export function declarationOf(
  payload: RedpillPayload,
  obj: RedpillObject
): Declaration | undefined {
  return obj.declaration === undefined
    ? undefined
    : own(payload.declarations, obj.declaration);
}

/**
 * A link to CPython's source (new tab, no opener), or the plain text when no
 * valid address can be built.
 */
function sourceLink(
  doc: Document,
  parent: HTMLElement,
  text: string,
  url: string | null,
  title: string
): void {
  if (url === null) {
    htmlEl(doc, 'code', undefined, text, parent);
    return;
  }
  const a = htmlEl(doc, 'a', 'jp-Redpill-sourceLink', text, parent);
  a.href = url;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.title = title;
}

/** "Objects/longobject.c line 294" or "… (line not verified)". */
function whereText(file: string, line: number | undefined): string {
  return line === undefined
    ? `${file} (line not verified)`
    : `${file} line ${line}`;
}

/** The call path of the object's birth and its allocation. */
export function birthSection(
  doc: Document,
  parent: HTMLElement,
  model: IRedpillModel,
  obj: RedpillObject
): void {
  const birth = birthOf(model.payload, obj);
  const allocation = obj.allocation;
  if (!birth && !allocation) {
    return;
  }
  const section = htmlEl(doc, 'section', 'jp-Redpill-birth', undefined, parent);
  htmlEl(doc, 'h4', undefined, 'How CPython made it', section);
  const tag = model.payload.c_source?.tag;
  if (birth) {
    htmlEl(doc, 'p', 'jp-Redpill-birthSummary', birth.summary, section);
    const list = htmlEl(doc, 'ol', 'jp-Redpill-callPath', undefined, section);
    for (const step of birth.path) {
      const item = htmlEl(doc, 'li', 'jp-Redpill-callStep', undefined, list);
      const url = sourceUrl(tag, step.file, step.line);
      sourceLink(
        doc,
        item,
        step.function,
        url,
        whereText(step.file, step.line)
      );
      htmlEl(
        doc,
        'span',
        'jp-Redpill-muted',
        ` ${whereText(step.file, step.line)}`,
        item
      );
      if (step.note) {
        htmlEl(doc, 'span', 'jp-Redpill-stepNote', ` — ${step.note}`, item);
      }
    }
    if (tag !== undefined && !TAG.test(tag)) {
      htmlEl(
        doc,
        'p',
        'jp-Redpill-muted',
        'The payload names no valid CPython release: no links.',
        section
      );
    }
  }
  if (allocation) {
    const facts = [`allocation: ${allocation.kind}`];
    if (allocation.requested !== undefined) {
      facts.push(`${allocation.requested} bytes asked for`);
    }
    if (allocation.block !== undefined) {
      facts.push(`${allocation.block}-byte block`);
    }
    if (allocation.slack !== undefined) {
      facts.push(`${allocation.slack} bytes of slack`);
    }
    htmlEl(doc, 'p', 'jp-Redpill-allocation', facts.join(' · '), section);
    htmlEl(doc, 'p', 'jp-Redpill-muted', allocation.note, section);
  }
}

/**
 * The indices (into `obj.fields`) of the fields a declared member covers: the
 * field of that name, and the elements `name[i]` of an array.
 */
export function memberFieldIndices(
  obj: RedpillObject,
  field: string | undefined
): number[] {
  if (field === undefined) {
    return [];
  }
  const out: number[] = [];
  (obj.fields ?? []).forEach((f: Field, i) => {
    if (f.name === field || f.name.startsWith(`${field}[`)) {
      out.push(i);
    }
  });
  return out;
}

/**
 * The struct's declaration: where it comes from (the interpreter's own
 * headers, or redpill's table), a link to it, and its text with each member
 * a button that highlights the member's bytes (`data-fields`).
 */
export function declarationSection(
  doc: Document,
  parent: HTMLElement,
  model: IRedpillModel,
  obj: RedpillObject
): void {
  const decl = declarationOf(model.payload, obj);
  if (!decl) {
    return;
  }
  const section = htmlEl(
    doc,
    'section',
    'jp-Redpill-declaration',
    undefined,
    parent
  );
  htmlEl(doc, 'h4', undefined, 'The struct as CPython declares it', section);
  const origin = htmlEl(doc, 'p', 'jp-Redpill-declSource', undefined, section);
  origin.appendChild(
    doc.createTextNode(
      decl.source === 'headers'
        ? "from your Python's headers: "
        : "from redpill's stored table (your Python has no headers installed): "
    )
  );
  const tag = model.payload.c_source?.tag;
  sourceLink(
    doc,
    origin,
    whereText(decl.file, decl.line),
    sourceUrl(tag, decl.file, decl.line),
    'the declaration in CPython’s source'
  );
  // member name -> the fields it covers (several entries may share a name)
  const covers = new Map<string, number[]>();
  for (const member of decl.members) {
    const list = covers.get(member.name) ?? [];
    list.push(...memberFieldIndices(obj, member.field));
    covers.set(member.name, list);
  }
  const pre = htmlEl(doc, 'pre', 'jp-Redpill-declText', undefined, section);
  for (const part of splitMembers(decl.text, [...covers.keys()])) {
    const fields =
      part.member === undefined ? undefined : covers.get(part.member);
    if (!fields || !fields.length) {
      pre.appendChild(doc.createTextNode(part.text));
      continue;
    }
    const button = htmlEl(doc, 'button', 'jp-Redpill-member', part.text, pre);
    button.type = 'button';
    button.dataset.fields = fields.join(' ');
    button.title = `${part.text}: ${fields
      .map(i => (obj.fields ?? [])[i].name)
      .join(', ')} (click to show its bytes)`;
  }
}

/** A piece of a declaration's text; `member` when it is a member's name. */
interface IPart {
  text: string;
  member?: string;
}

/**
 * Cut a declaration's text into plain pieces and the declared members' names
 * (whole words, outside comments). Bounded by the text's length.
 */
export function splitMembers(text: string, members: string[]): IPart[] {
  const names = new Set(members);
  const parts: IPart[] = [];
  const word = /[A-Za-z_]\w*|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;
  let at = 0;
  const seen = new Set<string>();
  for (let m = word.exec(text); m !== null; m = word.exec(text)) {
    const token = m[0];
    if (!names.has(token) || seen.has(token)) {
      continue;
    }
    seen.add(token);
    if (m.index > at) {
      parts.push({ text: text.slice(at, m.index) });
    }
    parts.push({ text: token, member: token });
    at = m.index + token.length;
  }
  if (at < text.length) {
    parts.push({ text: text.slice(at) });
  }
  return parts;
}
