// acrx login / acrx logout: top-level commands, as az acr login.
import type { Command } from 'commander';
import type { Io } from '../context.js';
import { loginCommand } from './login.js';
import { logoutCommand } from './logout.js';

export function addLoginCommands(program: Command, io: Io): void {
  loginCommand.register(program, io);
  logoutCommand.register(program, io);
}
