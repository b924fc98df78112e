// Runs the TypeScript sources directly: SWC transpiles with decorator metadata
// (Nest's constructor injection needs it) and resolves the tsconfig path aliases.
const path = require('node:path');
process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', 'tsconfig.base.json');
require('@swc-node/register');
