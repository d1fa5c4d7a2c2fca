#!/usr/bin/env node
import { main } from '../main.js';

// `detect-tests` is `testsift detect` with CI defaults (see cli/detect.ts: `ciDefaults`).
process.exitCode = await main(['detect', '--ci', ...process.argv.slice(2)]);
