#!/usr/bin/env node
import { run } from '../dist/acrx.js';

await run();
