// acrx purge: clean-up by name and age (acr purge's flags), on ACR and on any OCI registry.
import type { Command } from 'commander';
import type { Io } from '../context.js';
import { purgeCommand } from './purge.js';

export function addPurgeCommand(program: Command, io: Io): void {
  purgeCommand.register(program, io);
}
