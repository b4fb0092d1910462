// ID templates such as `site:{id}`: literal text with `{field}` placeholders (`{{` and `}}` stand for braces).

export interface Template {
  readonly source: string;
  /** Literal pieces; there is one more than there are fields. */
  readonly literals: readonly string[];
  /** The field named by each placeholder, in order. */
  readonly fields: readonly string[];
}

/** Parses a template; throws an Error with a readable message when it is malformed. */
export function parseTemplate(source: string): Template {
  const literals: string[] = [];
  const fields: string[] = [];
  let lit = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '{') {
      if (source[i + 1] === '{') {
        lit += '{';
        i++;
        continue;
      }
      const end = source.indexOf('}', i + 1);
      if (end < 0) throw new Error(`unclosed "{" at position ${i + 1}`);
      const field = source.slice(i + 1, end);
      if (field === '') throw new Error('empty placeholder "{}": name a field inside the braces');
      if (field.includes('{')) throw new Error(`"{" inside the placeholder "{${field}}"`);
      literals.push(lit);
      fields.push(field);
      lit = '';
      i = end;
    } else if (c === '}') {
      if (source[i + 1] === '}') {
        lit += '}';
        i++;
        continue;
      }
      throw new Error(`unmatched "}" at position ${i + 1} (write "}}" for a literal brace)`);
    } else lit += c;
  }
  literals.push(lit);
  return { source, literals, fields };
}

/** A template that is just `{field}`. */
export function fieldTemplate(field: string): Template {
  return { source: `{${field.replace(/[{}]/g, (b) => b + b)}}`, literals: ['', ''], fields: [field] };
}

/** Fills a template; `values[i]` is the text for `fields[i]`. */
export function fill(t: Template, values: readonly string[]): string {
  const lits = t.literals;
  if (lits.length === 2) return lits[0] + values[0] + lits[1];
  let out = lits[0];
  for (let i = 0; i < values.length; i++) out += values[i] + lits[i + 1];
  return out;
}
