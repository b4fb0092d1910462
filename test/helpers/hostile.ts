// A small snapshot whose names, IDs and types are hostile to every output format: markup, quotes, backslashes,
// newlines, DOT and Mermaid syntax, a script end tag, and prototype keys as IDs. Under site:s2 (so the site:s1 plans
// other tests draw are unchanged), text that lies in a pull-request comment or a terminal: table pipes, backtick
// runs, mentions, issue references, links, images, HTML blocks, bidi overrides and zero-width characters.
import type { Snapshot } from '../../src/model/types.js';

export const XSS = '<img src=x onerror=alert(1)>';
export const NASTY_NAMES = [
  XSS,
  'quote " and back\\slash \\N \\G',
  'new\nline',
  '</script><script>alert(2)</script>',
  'end]; A-->B #35; %% x',
  '`tick` | pipe & amp',
];

/** Characters that change or hide what is shown: none may reach a person raw (JSON output keeps them). */
export const INVISIBLES = [
  '\u202e',
  '\u202a',
  '\u2066',
  '\u2067',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c',
  '\u200b',
  '\u200c',
  '\u200d',
  '\ufeff',
  '\u2060',
  '\u2064',
  '\u00ad',
  '\u2028',
  '\u2029',
  '\u0085',
  '\u009b',
  '\u{e0041}',
  '\ufe0f',
];

/** The entities under site:s2, by role: IDs a Markdown table or code span could misrender, and lying names. */
export const TEXT_IDS = {
  pipes: 'app:|pipe| in | the id|',
  ticks: 'doc:`one` ``two`` ```three```',
  edgeTicks: '`edge ticks`',
  backslashPipe: 'doc:back\\|slash \\',
  bidi: 'file:safe\u202etxt.exe',
  zeroWidth: 'user:admin\u200b@x.com',
  mention: '@everyone',
  invisibles: `doc:${INVISIBLES.join('.')}`,
} as const;

export const TEXT_NAMES = {
  mentions: 'ping @everyone and @org/team, see #1, GH-2 and owner/repo#3',
  details: '<details><summary>x</summary>hidden</details>',
  link: '[link](https://evil.example) and https://evil.example/a and www.evil.example',
  image: '<img src=https://evil.example/x.png>',
  bidi: 'safe\u202etxt.exe',
  zeroWidth: 'zero\u200bwidth \u2066isolated\u2069 \u2067rtl\u2069',
  markdown: '**bold** _it_ ~~gone~~ `code` $x^2$ :smile: 1. list > quote',
} as const;

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
    { id: TEXT_IDS.pipes, type: 'app|type', name: TEXT_NAMES.details },
    { id: TEXT_IDS.ticks, type: 'doc', name: TEXT_NAMES.link },
    { id: TEXT_IDS.edgeTicks, type: 'doc', name: TEXT_NAMES.image },
    { id: TEXT_IDS.backslashPipe, type: 'doc', name: TEXT_NAMES.markdown },
    { id: TEXT_IDS.bidi, type: 'doc', name: TEXT_NAMES.bidi },
    { id: TEXT_IDS.zeroWidth, type: 'user', name: TEXT_NAMES.zeroWidth },
    { id: TEXT_IDS.mention, type: 'user', name: TEXT_NAMES.mentions },
    { id: TEXT_IDS.invisibles, type: 'doc', name: INVISIBLES.join(' ') },
  ];
  const relations: Snapshot['relations'] = [
    { from: '__proto__', type: 'HOSTED_ON', to: 'site:s1' },
    { from: 'constructor', type: 'IN', to: '__proto__' },
    { from: 'doc:"quoted"\\id', type: 'IN', to: 'constructor' },
    { from: 'doc:<b>bold</b>', type: 'IN', to: '__proto__' },
    { from: 'link:both', type: 'LINKS', to: 'doc:<b>bold</b>' },
    { from: 'link:both', type: 'LINKS', to: 'site:s2' },
    { from: 'user:x', type: 'MEMBER_OF', to: 'site:s1' },
    { from: TEXT_IDS.pipes, type: 'HOSTED_ON', to: 'site:s2' },
    { from: TEXT_IDS.ticks, type: 'IN', to: TEXT_IDS.pipes },
    { from: TEXT_IDS.edgeTicks, type: 'IN', to: TEXT_IDS.pipes },
    { from: TEXT_IDS.backslashPipe, type: 'IN', to: TEXT_IDS.ticks },
    { from: TEXT_IDS.bidi, type: 'IN', to: TEXT_IDS.backslashPipe },
    { from: TEXT_IDS.zeroWidth, type: 'MEMBER_OF', to: 'site:s2' },
    { from: TEXT_IDS.mention, type: 'MEMBER_OF', to: 'site:s2' },
    { from: TEXT_IDS.invisibles, type: 'IN', to: TEXT_IDS.bidi },
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
