// The output formats, as data: one row per format, naming the commands that serve it and what it needs beyond the
// result. Every command's --format choices are derived from this table (formatsFor), so `--help` offers exactly
// what the command serves and yargs refuses the rest. A new format is one row here plus its reporter.
export const COMMANDS_WITH_FORMATS = ['plan', 'check', 'why', 'audit', 'diff', 'verify'] as const;
export type FormatCommand = (typeof COMMANDS_WITH_FORMATS)[number];

export interface FormatRow {
  name: string;
  commands: readonly FormatCommand[];
  /** What the reporter needs besides the result: the graph (pictures draw its relations), or the browser bundle. */
  needs?: 'graph' | 'bundle';
  describe: string;
}

/** In the order the choices are listed in each command's help. */
export const FORMATS = [
  { name: 'human', commands: ['plan', 'check', 'why', 'audit', 'diff', 'verify'], describe: 'text for a terminal' },
  { name: 'json', commands: ['plan', 'check', 'why', 'audit', 'diff', 'verify'], describe: 'the result as JSON' },
  { name: 'markdown', commands: ['plan', 'check', 'why', 'audit', 'diff'], describe: 'for a pull-request comment' },
  { name: 'github', commands: ['plan', 'check'], describe: 'GitHub Actions annotations on the manifest lines' },
  { name: 'sarif', commands: ['plan', 'check'], describe: 'SARIF 2.1.0, for code-scanning tools' },
  { name: 'junit', commands: ['plan', 'check'], describe: 'JUnit XML, for CI test reports' },
  { name: 'dot', commands: ['plan', 'check', 'audit'], needs: 'graph', describe: 'a Graphviz picture' },
  { name: 'mermaid', commands: ['plan', 'check', 'audit'], needs: 'graph', describe: 'a Mermaid picture' },
  { name: 'graphology', commands: ['plan', 'check', 'audit'], needs: 'graph', describe: "graphology's serialized JSON, for Sigma.js and friends" },
  { name: 'html', commands: ['audit'], needs: 'bundle', describe: 'one self-contained interactive page' },
] as const satisfies readonly FormatRow[];

export type FormatName = (typeof FORMATS)[number]['name'];

/** The formats command C serves, as a type. */
export type FormatOf<C extends FormatCommand> = (typeof FORMATS)[number] extends infer R
  ? R extends { name: infer N; commands: readonly (infer Cs)[] }
    ? C extends Cs
      ? N
      : never
    : never
  : never;

/** The formats `command` serves, in table order: its --format choices. */
export function formatsFor<C extends FormatCommand>(command: C): readonly FormatOf<C>[] {
  return FORMATS.filter((f) => (f.commands as readonly FormatCommand[]).includes(command)).map((f) => f.name as FormatOf<C>);
}
