#!/usr/bin/env node
import { runHelperProcess } from '../dist/credential-helper/main.js';

await runHelperProcess();
