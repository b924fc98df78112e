import 'reflect-metadata';
import { runCli } from '@davmesh/cli';

void runCli(process.argv.slice(2)).then((exitCode) => {
  // `serve` keeps running on its own handles; one-shot commands end here.
  if (process.argv[2] !== 'serve' || exitCode !== 0) process.exit(exitCode);
});
