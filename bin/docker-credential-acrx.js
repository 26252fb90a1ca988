#!/usr/bin/env node
import { runHelperProcess } from '../dist/docker-credential-acrx.js';

await runHelperProcess();
