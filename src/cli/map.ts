import type { Command } from './command.js';

// Placeholder: implemented by the owning stage; replace this file.
const command: Command = {
  name: 'map',
  summary: '',
  help: 'testsift map: not implemented yet',
  async run(_argv, io) {
    io.stderr('testsift map: not implemented yet\n');
    return 1;
  },
};
export default command;
