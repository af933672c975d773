/** Names as a cell and as TypeScript see them. */
export { jsToolName } from '../../schemas/index.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key as written in a TypeScript object type: bare when it is an identifier, else quoted. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** A fragment made safe for a type name: identifier characters only, never empty. */
export function typeNamePart(text: string): string {
  const body = text.replace(/[^A-Za-z0-9_$]/g, '_');
  return body === '' ? '_' : body;
}

/** Text made safe inside a `/** ... *\/` comment. */
export function commentText(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/\r\n?/g, '\n');
}

/** A JSDoc block at `indent`, or '' when there are no lines. */
export function jsDoc(lines: readonly string[], indent: string): string {
  const body = lines.flatMap((line) => commentText(line).split('\n')).map((line) => line.trimEnd());
  while (body.length > 0 && body[body.length - 1] === '') body.pop();
  if (body.length === 0) return '';
  if (body.length === 1) return `${indent}/** ${body[0]} */\n`;
  return `${indent}/**\n${body.map((line) => (line === '' ? `${indent} *` : `${indent} * ${line}`)).join('\n')}\n${indent} */\n`;
}
