#!/usr/bin/env node
import { bins } from '../bins.js';

process.exitCode = await bins['detect-tests'](process.argv.slice(2));
