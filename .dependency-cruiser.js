/**
 * Architecture rules enforced in `npm run lint` (the layering in docs/architecture.md,
 * "Layers and the rules lint enforces"): no import cycles, no lib importing an app, libs
 * reached only through their public index (`@app/<lib>`), the platform lib knowing nothing
 * of the features, controllers and services free of TypeORM and Fastify, controllers never
 * reaching a repository, and TypeORM used only by the platform's database code (which
 * repositories reach through `Database`) and the entities.
 *
 * Every rule has a case in test/architecture/layering-rules.spec.ts that injects one
 * violation into a copy of the tree and expects exactly that rule to fail: a rule added
 * here without a case there fails that test.
 *
 * Paths of packages are matched as `(^|/)node_modules/<name>/`: a worktree's node_modules
 * may be a symlink, and dependency-cruiser reports the resolved (real) path.
 */

/** The TypeORM packages: the ORM itself and its Nest module. */
const TYPEORM = '(^|/)node_modules/(typeorm|@nestjs/typeorm)/';
/** Fastify and its plugins. `@nestjs/platform-fastify` is not here: controllers may use its `@RouteConfig()` (route metadata, no request object). */
const FASTIFY = '(^|/)node_modules/(fastify|@fastify/[^/]+)/';
const SERVICE_OR_CONTROLLER = '\\.(service|controller)\\.ts$';

/**
 * Controllers that keep the raw Fastify request or reply, each because what it does cannot
 * be expressed as a returned value or a StreamableFile:
 */
const CONTROLLERS_NEEDING_RAW_HTTP = [
  // Upload: the multipart body is read as a stream (@fastify/multipart's request.file()),
  // never buffered. Download: the status (200, 206 or 304) and Content-Range depend on
  // the byte range served.
  '^libs/files/src/files\\.controller\\.ts$',
  // CSV and NDJSON exports: the database read is stopped when the client disconnects,
  // which only the raw reply's socket tells.
  '^libs/reports/src/reports\\.controller\\.ts$',
];

/**
 * Where `typeorm` may be imported: libs/platform/src/database (pool, data source, migrations,
 * `Database` and `StreamingConnections`, the one way to PostgreSQL) and entities (their
 * decorators document the schema). Repositories inject `Database`: they import no typeorm
 * (docs/decisions.md, "Data access"). Services and controllers have their own rule.
 */
const PLATFORM_DATABASE = '^libs/platform/src/database/';
const ENTITY = '\\.entity\\.ts$';
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'no-lib-imports-app',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'platform-knows-no-feature',
      severity: 'error',
      from: { path: '^libs/platform/' },
      to: { path: '^libs/(?!platform/)' },
    },
    {
      name: 'libs-through-public-index',
      comment:
        'Another lib is imported through @app/<lib>, which resolves to its src/index.ts, never one of its files.',
      severity: 'error',
      from: { path: '^(libs|apps)/([^/]+)/' },
      to: {
        path: '^libs/([^/]+)/src/(?!index\\.ts$)',
        // The Node version check each app imports first, before the index loads anything.
        pathNot: [
          '^libs/$2/',
          '^libs/platform/src/require-supported-node\\.ts$',
          '^libs/platform/src/start-tracing\\.ts$',
        ],
      },
    },
    {
      name: 'no-orm-in-services-or-controllers',
      comment:
        'Services hold the rules and open transactions with @Transactional(); controllers shape HTTP. Neither sees TypeORM: SQL lives in repositories, through Database.',
      severity: 'error',
      from: { path: SERVICE_OR_CONTROLLER },
      to: { path: TYPEORM },
    },
    {
      name: 'no-fastify-in-services-or-controllers',
      comment:
        'Handlers return values (or a StreamableFile) and let interceptors and the platform write the reply; services never see HTTP. The few controllers that need the raw request or reply are listed, with why, in CONTROLLERS_NEEDING_RAW_HTTP.',
      severity: 'error',
      from: { path: SERVICE_OR_CONTROLLER, pathNot: CONTROLLERS_NEEDING_RAW_HTTP },
      to: { path: FASTIFY },
    },
    {
      name: 'controllers-use-no-repository',
      comment:
        'Controller -> service -> repository: a controller calls its service, which owns the rules and the transaction.',
      severity: 'error',
      from: { path: '\\.controller\\.ts$' },
      to: { path: '\\.repository\\.ts$' },
    },
    {
      name: 'typeorm-only-in-platform-database',
      comment:
        'PostgreSQL is reached through Database (libs/platform/src/database); entities may use the decorators. Services and controllers are covered by no-orm-in-services-or-controllers.',
      severity: 'error',
      from: { pathNot: [PLATFORM_DATABASE, ENTITY, SERVICE_OR_CONTROLLER] },
      to: { path: '(^|/)node_modules/typeorm/' },
    },
    {
      name: 'nest-typeorm-only-in-modules-and-platform-database',
      comment:
        "A feature module may register its entities with TypeOrmModule.forFeature(); @InjectDataSource/@InjectRepository are the platform database's business.",
      severity: 'error',
      from: { pathNot: [PLATFORM_DATABASE, '\\.module\\.ts$', SERVICE_OR_CONTROLLER] },
      to: { path: '(^|/)node_modules/@nestjs/typeorm/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.spec\\.ts$|\\.e2e-spec\\.ts$)' },
    // Type-only imports (`import type { FastifyReply }`) count: they are dependencies too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
