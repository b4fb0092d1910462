// The architecture, executable: data flows files → ingest → store → engine → report → cli, and each layer may only
// import the layers below it (docs/architecture.md). `npm run check` runs this over src/.
/** @type {import('dependency-cruiser').IConfiguration} */
const layer = (name) => `^src/${name}/`;
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A runtime cycle makes the load order fragile (cycles through type-only imports vanish at compile time).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'model-is-the-bottom',
      severity: 'error',
      comment: 'src/model/ holds the contracts (types, schemas, errors): it imports no other layer.',
      from: { path: layer('model') },
      to: { path: '^src/', pathNot: layer('model') },
    },
    {
      name: 'store-below-ingest-and-engine',
      severity: 'error',
      comment: 'The store holds graphs; it knows nothing of how they are read, judged or shown.',
      from: { path: layer('store') },
      to: { path: ['^src/(ingest|engine|report|cli|app|generate)/', '^src/api\\.ts$'] },
    },
    {
      name: 'ingest-below-engine',
      severity: 'error',
      comment: 'Readers turn files into a store; they do not plan, report or talk to the terminal.',
      from: { path: layer('ingest') },
      to: { path: ['^src/(engine|report|cli|app)/', '^src/api\\.ts$'] },
    },
    {
      name: 'engine-is-pure',
      severity: 'error',
      comment: 'The engine computes on the GraphIndex contract (src/model/graph.ts); it knows no store, backend, reader or reporter.',
      from: { path: layer('engine') },
      to: { path: ['^src/(ingest|store|report|cli|app|generate)/', '^src/api\\.ts$'] },
    },
    {
      name: 'engine-and-report-do-no-io',
      severity: 'error',
      comment: 'Pure layers: no file system, processes, network or threads (node:crypto is a pure function).',
      from: { path: ['^src/engine/', '^src/report/', '^src/model/types\\.ts$'] },
      to: { dependencyTypes: ['core'], path: '^(fs|fs/promises|child_process|net|http|https|tls|dgram|worker_threads|cluster|readline|process|os)$' },
    },
    {
      name: 'report-below-cli',
      severity: 'error',
      comment: 'Reporters are pure functions from a result to text; they never load inputs.',
      from: { path: layer('report') },
      to: { path: ['^src/(ingest|cli|app|generate)/', '^src/store/neo4j/', '^src/api\\.ts$'] },
    },
    {
      name: 'app-below-the-interfaces',
      severity: 'error',
      comment: 'The application layer serves the CLI and the library (src/api.ts); it imports neither.',
      from: { path: layer('app') },
      to: { path: ['^src/cli/', '^src/api\\.ts$'] },
    },
    {
      name: 'app-index-lists-use-cases',
      severity: 'error',
      comment:
        "src/app/index.ts is what the CLI sees: the application layer's own modules (use cases that open their inputs and call the engine), " +
        'not the engine, readers or store passed through (their types may be).',
      from: { path: '^src/app/index[.]ts$' },
      to: { path: '^src/(engine|ingest|store|generate)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'cli-through-app',
      severity: 'error',
      comment:
        'The CLI is thin: its commands reach graphs, plans, backends, inputs and the generator only through the application layer ' +
        '(src/app/), the same layer the library (src/api.ts) is; besides it, only the reporters and the model (types too).',
      from: { path: layer('cli') },
      to: { path: '^src/', pathNot: ['^src/(cli|app|report|model)/'] },
    },
    {
      name: 'reporters-independent',
      severity: 'error',
      comment:
        'One file per output format, each a pure function of a result: a reporter shares helpers through common.ts, text.ts, pieces.ts, ' +
        'wrap.ts, audit-text.ts or diff-text.ts, never by importing another reporter; only the dispatchers (index.ts, audit-formats.ts) ' +
        'import the reporters (a type may be shared).',
      from: { path: '^src/report/', pathNot: '^src/report/(index|audit-formats)[.]ts$' },
      to: {
        path: '^src/report/(human|markdown|json|why|github|sarif|junit|dot|mermaid|graphology|html|audit-human|audit-markdown|diff-human|diff-markdown|verify|waves|baseline|catalog-check)[.]ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'nothing-imports-the-cli',
      severity: 'error',
      comment: 'The CLI is the top: only bin/ calls it.',
      from: { path: '^src/', pathNot: layer('cli') },
      to: { path: layer('cli') },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports is dead code (entry points excepted).',
      from: {
        orphan: true,
        pathNot: ['^src/api\\.ts$', '^src/cli/index\\.ts$', '^src/ingest/ndjson-worker\\.ts$', '^src/report/html-client/main\\.ts$', '\\.d\\.ts$'],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.json'],
    },
    exclude: { path: '^src/report/html-client/.*\\.d\\.ts$' },
  },
};
