// The least a Node command can do for this diff and still be safe: list the test folders from
// git's index (what exists) and print the 25k names, nothing else (no map, no tests.yml, no
// selection). Its cost beyond start-up is a floor under any JS detect that prints that list,
// measured beside testsift's in the same rounds. Usage: node list-floor.cjs FOLDER...
'use strict';
const { spawn } = require('node:child_process');
const { writeSync } = require('node:fs');

const git = spawn('git', ['ls-files', '-z', '--cached', '--', ...process.argv.slice(2).map((d) => `:(literal)${d}`)]);
const chunks = [];
git.stdout.on('data', (c) => chunks.push(c));
git.on('close', (code) => {
  if (code !== 0) process.exit(1);
  const names = Buffer.concat(chunks).toString('utf8').split('\0');
  names.pop();
  writeSync(1, `${names.join('\n')}\n`);
});
