#!/usr/bin/env node
// docker-credential-acrx, the docker credential helper of acrx (see src/credential-helper/).
'use strict';
require('./load-bundle.cjs').loadBundle('docker-credential-acrx', process.argv[2]).runHelperProcess();
