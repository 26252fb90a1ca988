// The acrx entry: runs the command line, turns every failure into one stderr line and an exit code.
import { CommanderError } from 'commander';
import { AcrxError, ExitCode, InterruptedError } from '../errors.js';
import { decideColors, painter, Status } from '../output/status.js';
import type { Io } from './context.js';
import { checkCommandWords, withHelpWords } from './command-path.js';
import { HELP_WIDTH } from './help-texts.js';
import { withRemedy } from './hints.js';
import { buildProgram } from './program.js';

export async function main(argv: readonly string[], given: Io): Promise<number> {
  // Colour is decided here, once, and everything that writes colour (chalk, ora, the renderers,
  // commander) is handed this decision.
  const colors = given.colors ?? decideColors(given);
  // Copied with its getters (stdin is one: opening it costs time only the commands that read it spend).
  const io: Io = Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(given), colors: { value: colors, enumerable: true } }) as Io;
  const words = withHelpWords(argv);
  const program = buildProgram(io, words[0], words[1]);
  const debug = argv.includes('--debug');
  const status = new Status(io.stderr, debug ? 'debug' : 'normal', await painter(colors.stderr));
  for (const command of [program, ...allCommands(program)]) {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: () => undefined,
      // The width of the terminal acrx writes to, else 80, as bin/acrx.cjs's stored help assumes.
      getOutHelpWidth: () => (io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : HELP_WIDTH),
      getOutHasColors: () => colors.stdout,
      getErrHasColors: () => colors.stderr,
    });
  }
  try {
    checkCommandWords(program, words);
    await program.parseAsync(words, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    return report(error, status, io.signal.aborted);
  }
}

function report(error: unknown, status: Status, interrupted: boolean): number {
  if (interrupted) {
    status.error('interrupted');
    return new InterruptedError().exitCode;
  }
  if (error instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    if (error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync') return ExitCode.usage;
    status.error(oneLine(error.message.replace(/^error: /, '')));
    return ExitCode.usage;
  }
  if (error instanceof AcrxError) {
    status.error(oneLine(withRemedy(error.message, error.remedy)));
    if (status.debugging && error.cause instanceof Error) status.debug(`cause: ${error.cause.message}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  status.error(oneLine(message));
  if (status.debugging && error instanceof Error && error.stack) status.debug(error.stack);
  return ExitCode.error;
}

/**
 * An error is one line on stderr, whatever text it carries: commander's own line breaks become
 * spaces, and control characters in a quoted value cannot move the cursor or start a new line.
 */
function oneLine(message: string): string {
  return message
    .replace(/\s*(?:\r\n|[\n\r\u2028\u2029])\s*/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function* allCommands(command: import('commander').Command): Generator<import('commander').Command> {
  for (const child of command.commands) {
    yield child;
    yield* allCommands(child);
  }
}
