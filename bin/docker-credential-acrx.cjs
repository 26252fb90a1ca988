#!/usr/bin/env node
// docker-credential-acrx, the docker credential helper of acrx (see src/credential-helper/).
'use strict';
// Node 22.1+ keeps compiled code between runs; older Node has no such cache and skips this.
require('node:module').enableCompileCache?.();
import('../dist/docker-credential-acrx.js').then(({ runHelperProcess }) => runHelperProcess());
