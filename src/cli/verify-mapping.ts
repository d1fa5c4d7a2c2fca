import type { Command } from './command.js';

// Placeholder: implemented by the owning stage; replace this file.
const command: Command = {
  name: 'verify-mapping',
  summary: '',
  help: 'testsift verify-mapping: not implemented yet',
  async run(_argv, io) {
    io.stderr('testsift verify-mapping: not implemented yet\n');
    return 1;
  },
};
export default command;
