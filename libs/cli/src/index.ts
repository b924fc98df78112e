// The `davmesh` command line: `serve` and the admin commands. apps/davmesh/src/main.ts runs it;
// the end-to-end specs (apps/davmesh-e2e) call runCli in process.
export { buildCli, runCli, type Print } from './cli';
