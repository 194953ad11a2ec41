// Shared Jest settings for every project. SWC compiles TypeScript (with the decorator metadata
// NestJS needs) and the ESM-only aedes 1.x to CommonJS; workspace packages resolve to their
// sources so that tests never depend on a stale build.
const fs = require('node:fs');
const path = require('node:path');

const root = __dirname;
const moduleNameMapper = {};
for (const group of ['libs', 'apps']) {
  const dir = path.join(root, group);
  if (!fs.existsSync(dir)) continue;
  for (const name of fs.readdirSync(dir)) {
    const pkg = path.join(dir, name, 'package.json');
    if (!fs.existsSync(pkg)) continue;
    const { name: pkgName } = JSON.parse(fs.readFileSync(pkg, 'utf8'));
    moduleNameMapper[`^${pkgName.replace('/', '\\/')}$`] = path.join(dir, name, 'src', 'index.ts');
  }
}
const simPkg = path.join(root, 'devices-sim', 'package.json');
if (fs.existsSync(simPkg)) {
  moduleNameMapper[`^${JSON.parse(fs.readFileSync(simPkg, 'utf8')).name.replace('/', '\\/')}$`] =
    path.join(root, 'devices-sim', 'src', 'index.ts');
}

module.exports = {
  // Node's environment, which also removes the test file's temporary directories (tempDir of
  // @hearthbeat/testing) once the file is done.
  testEnvironment: path.join(root, 'libs', 'testing', 'src', 'jest-environment.ts'),
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(aedes)/)'],
  moduleNameMapper,
  testTimeout: 30000,
};
