/** Object keys that occur twice in one object of a JSON text, which JSON.parse silently merges. */

export interface DuplicateKey {
  /** The keys leading to the duplicate, the duplicate last (array indexes as strings). */
  path: string[];
}

/** Scans valid JSON text (call it after JSON.parse succeeded). */
export function duplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string[]): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      skipSpace();
      while (text[i] !== '}') {
        skipSpace();
        const key = readString();
        if (seen.has(key)) found.push({ path: [...path, key] });
        seen.add(key);
        skipSpace();
        i++; // ':'
        value([...path, key]);
        skipSpace();
        if (text[i] === ',') i++;
        skipSpace();
      }
      i++;
    } else if (c === '[') {
      i++;
      skipSpace();
      for (let index = 0; text[i] !== ']'; index++) {
        value([...path, String(index)]);
        skipSpace();
        if (text[i] === ',') i++;
        skipSpace();
      }
      i++;
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    }
  };
  value([]);
  return found;
}
