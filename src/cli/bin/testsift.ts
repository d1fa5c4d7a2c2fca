#!/usr/bin/env node
import { bins } from '../bins.js';

process.exitCode = await bins.testsift(process.argv.slice(2));
