import type { IncomingMessage } from 'node:http';
import { RequestValidationError } from './request-validation.error';

interface ObjectFrame {
  readonly kind: 'object';
  readonly path: string;
  readonly keys: Set<string>;
  expectKey: boolean;
  key: string | undefined;
}

interface ArrayFrame {
  readonly kind: 'array';
  readonly path: string;
  index: number;
}

/**
 * The path of the first property name that occurs twice in one object of a JSON text
 * (`monthlyValues[1].value`, `value` at the top level), or undefined when there is none.
 *
 * `JSON.parse` keeps the last of duplicated keys and drops the others without a word, so a body
 * `{"value": "41", "value": "14"}` would be stored as 14 although the client may have meant 41.
 * Names are compared after unescaping (`"a"` and `"\u0061"` are the same key). The text is
 * scanned once, without recursion; it is expected to be valid JSON (the parser refuses it
 * otherwise), and on text that is not, the answer is simply undefined or a key path.
 */
export function findDuplicateJsonKey(text: string): string | undefined {
  const stack: Array<ObjectFrame | ArrayFrame> = [];
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (top === undefined) return '';
    if (top.kind === 'array') return `${top.path}[${top.index}]`;
    return top.path === '' ? (top.key ?? '') : `${top.path}.${top.key ?? ''}`;
  };
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (char === 0x22 /* " */) {
      const start = i;
      for (i += 1; i < text.length && text.charCodeAt(i) !== 0x22; i += 1) {
        if (text.charCodeAt(i) === 0x5c /* \ */) i += 1;
      }
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.expectKey) {
        const raw = text.slice(start, i + 1);
        let key: string;
        try {
          key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        } catch {
          return undefined; // not JSON: the parser will say so
        }
        top.key = key;
        top.expectKey = false;
        if (top.keys.has(key)) return childPath();
        top.keys.add(key);
      }
    } else if (char === 0x7b /* { */) {
      stack.push({ kind: 'object', path: childPath(), keys: new Set(), expectKey: true, key: undefined });
    } else if (char === 0x5b /* [ */) {
      stack.push({ kind: 'array', path: childPath(), index: 0 });
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      stack.pop();
    } else if (char === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'object') top.expectKey = true;
      else if (top?.kind === 'array') top.index += 1;
    }
  }
  return undefined;
}

/**
 * body-parser's `verify` hook for JSON bodies: a body holding a duplicated key is refused with a
 * 400 naming it, before anything parses it, so what is stored is what was sent.
 */
export function refuseDuplicateJsonKeys(_request: IncomingMessage, _response: unknown, body: Buffer, encoding: string): void {
  const field = findDuplicateJsonKey(body.toString((encoding || 'utf8') as BufferEncoding));
  if (field !== undefined) {
    throw new RequestValidationError([{ field, message: 'appears more than once in the same object; send each key once' }]);
  }
}
