// A small snapshot whose names, IDs and types are hostile to every output format: markup, quotes, backslashes,
// newlines, DOT and Mermaid syntax, a script end tag, and prototype keys as IDs.
import type { Snapshot } from '../../src/model/types.js';

export const XSS = '<img src=x onerror=alert(1)>';
export const NASTY_NAMES = [XSS, 'quote " and back\\slash \\N \\G', 'new\nline', '</script><script>alert(2)</script>', 'end]; A-->B #35; %% x', '`tick` | pipe & amp'];

export function hostileSnapshot(): Snapshot {
  const entities: Snapshot['entities'] = [
    { id: 'site:s1', type: 'site', name: XSS },
    { id: 'site:s2', type: 'site', name: 'second site' },
    { id: '__proto__', type: 'product', name: NASTY_NAMES[1] },
    { id: 'constructor', type: 'MATCH (n) DETACH DELETE n', name: NASTY_NAMES[2] },
    { id: 'doc:"quoted"\\id', type: 'doc', name: NASTY_NAMES[3] },
    { id: 'doc:<b>bold</b>', type: 'doc', name: NASTY_NAMES[4] },
    { id: 'link:both', type: 'link', name: NASTY_NAMES[5] },
    { id: 'user:x', type: 'user', name: XSS, protected: true },
  ];
  const relations: Snapshot['relations'] = [
    { from: '__proto__', type: 'HOSTED_ON', to: 'site:s1' },
    { from: 'constructor', type: 'IN', to: '__proto__' },
    { from: 'doc:"quoted"\\id', type: 'IN', to: 'constructor' },
    { from: 'doc:<b>bold</b>', type: 'IN', to: '__proto__' },
    { from: 'link:both', type: 'LINKS', to: 'doc:<b>bold</b>' },
    { from: 'link:both', type: 'LINKS', to: 'site:s2' },
    { from: 'user:x', type: 'MEMBER_OF', to: 'site:s1' },
  ];
  return {
    schema: {
      boundary: 'site',
      relations: {
        HOSTED_ON: { onDelete: 'cascade' },
        IN: { onDelete: 'cascade' },
        LINKS: { onDelete: 'cascade' },
        MEMBER_OF: { onDelete: 'last-owner' },
      },
    },
    entities,
    relations,
  };
}
