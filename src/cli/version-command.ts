// `acrx version`, as `az version` and `docker version` are typed: the same answer as --version.
import type { Command } from 'commander';
import { packageVersion } from '../version.js';
import type { Io } from './context.js';
import { addExamples } from './help.js';

export function addVersionCommand(program: Command, io: Io): Command {
  const command = program
    .command('version')
    .description('Print the version of acrx.')
    .action(() => {
      io.stdout.write(`${packageVersion()}\n`);
    });
  return addExamples(command, [{ summary: 'Print the version.', command: 'acrx version' }]);
}
