// acrx configure: acrx's own defaults (registry, output format).
import type { Command } from 'commander';
import type { Io } from '../context.js';
import { configureCommand } from './configure.js';

export function addConfigureCommand(program: Command, io: Io): void {
  configureCommand.register(program, io);
}
