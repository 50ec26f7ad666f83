import { readdirSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// Import boundaries (STYLE.md, "Dependency rules"), checked by import-x/no-restricted-paths so
// they hold without review. Each zone forbids `target` to import from `from` (minus `except`,
// relative to `from`); add a zone here for a new boundary and widen BOUNDARY_FILES to match.
const COLLECTORS = 'apps/agent/src/collectors';
const collectorFolders = readdirSync(path.join(import.meta.dirname, COLLECTORS), { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'lib')
  .map((d) => d.name);

const boundaryZones = [
  // A collector reads its own source; what two collectors share lives in collectors/lib/.
  ...collectorFolders.map((name) => ({
    target: `./${COLLECTORS}/${name}`,
    from: `./${COLLECTORS}`,
    except: [`./${name}`, './lib'],
    message: 'A collector imports only its own folder and collectors/lib/ (see collectors/README.md).',
  })),
  {
    target: `./${COLLECTORS}/lib`,
    from: `./${COLLECTORS}`,
    except: ['./lib'],
    message: 'collectors/lib/ serves every collector and imports none.',
  },
];
const BOUNDARY_FILES = ['apps/agent/**/*.ts'];
// Import cycles: checked where listed (the check follows every import, so it costs lint time).
const CYCLE_FILES = ['apps/agent/**/*.ts', 'apps/server/src/**/*.ts'];

/**
 * Server data access (STYLE.md: only the repositories talk to the database). Outside the data
 * access modules (<domain>/repository.ts, db/), no file imports the Prisma client or its types,
 * writes SQL, opens a transaction or calls a model method.
 */
const SERVER = 'apps/server/src';
const DATA_ACCESS_FILES = [`${SERVER}/**/repository.ts`, `${SERVER}/db/**`, `${SERVER}/generated/**`, '**/*.test.ts'];
const dbMessage = 'Only repositories (<domain>/repository.ts) talk to the database: add a repository function and call it.';
const serverDataAccess = {
  files: [`${SERVER}/**/*.ts`],
  ignores: DATA_ACCESS_FILES,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)generated/prisma(/|$)', message: dbMessage }] }],
    'no-restricted-syntax': [
      'error',
      {
        selector: 'MemberExpression[property.name=/^\\$(queryRaw|queryRawUnsafe|executeRaw|executeRawUnsafe|transaction)$/]',
        message: dbMessage,
      },
      {
        selector:
          'CallExpression > MemberExpression.callee[property.name=/^(find|create|update|delete|upsert|count|aggregate|groupBy)/][object.type="MemberExpression"]:matches([object.object.name=/^(prisma|tx)$/], [object.object.property.name="prisma"])',
        message: dbMessage,
      },
    ],
  },
};

/**
 * Dashboard layering (bulletproof-react): shared code (components/, lib/) -> features/<name>/ -> app/.
 * A feature never imports another feature or the app; shared code imports neither. Each feature
 * gets its own block because "another feature" depends on which one is importing.
 */
const dashboardSrc = 'apps/dashboard/src';
const dashboardFeatures = readdirSync(path.join(import.meta.dirname, dashboardSrc, 'features'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const layerMessage =
  'Dashboard imports flow shared -> features -> app; features never import each other (move shared code to components/ or lib/).';
const dashboardBoundaries = [
  {
    files: [`${dashboardSrc}/components/**`, `${dashboardSrc}/lib/**`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(@|\\.\\.)/(features|app)(/|$)', message: layerMessage }] }],
    },
  },
  ...dashboardFeatures.map((feature) => ({
    files: [`${dashboardSrc}/features/${feature}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: `^@/features/(?!${feature}(/|$))`, message: layerMessage },
            { regex: '^@/app(/|$)', message: layerMessage },
            // Files sit in features/<name>/<folder>/: two levels up is features/, three is src/.
            { regex: '^(\\.\\./){2}(?!\\.\\./)', message: layerMessage },
            { regex: '^(\\.\\./){3}(features|app)(/|$)', message: layerMessage },
          ],
        },
      ],
    },
  })),
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/generated/**',
      '**/fixtures/**',
      '.plumbline/**',
      'bench/results/**',
      'playwright-report/**',
      'test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  ...dashboardBoundaries,
  serverDataAccess,
  {
    files: [...new Set([...BOUNDARY_FILES, ...CYCLE_FILES])],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
      // no-cycle reads the files an import leads to: TypeScript ones with typescript-eslint's parser.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
  },
  {
    files: BOUNDARY_FILES,
    rules: { 'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: boundaryZones }] },
  },
  {
    files: CYCLE_FILES,
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // A collector's parsers are pure: text in, values out. Only index.ts and read-*.ts touch the host.
    files: [`${COLLECTORS}/*/*.ts`],
    ignores: [`${COLLECTORS}/lib/**`, `${COLLECTORS}/*/index.ts`, `${COLLECTORS}/*/read-*.ts`, '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'fs/promises', 'child_process', 'os', 'net']
            .flatMap((m) => [m, `node:${m}`])
            .map((name) => ({ name, message: 'Parsers are pure; read the host in index.ts or read-*.ts.' })),
          patterns: [
            {
              group: ['./index', './read-*', '**/lib/root-fs', '**/lib/exec', '**/lib/host-packages', '**/lib/context'],
              message: 'Parsers are pure; read the host in index.ts or read-*.ts and pass the text in.',
            },
          ],
        },
      ],
    },
  },
  {
    // CLI printers, build scripts and benchmarks write to the terminal on purpose.
    files: ['**/printer.ts', '**/*.mjs', 'scripts/**', '**/scripts/**', 'e2e/**', '**/build.mjs'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', fetch: 'readonly' },
    },
  },
);
