/** The shape every CLI command has: the CLI is a thin adapter over the library API. */
export interface CliIO {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input, for `-` arguments. */
  readStdin(): Promise<string>;
}

export interface Command {
  name: string;
  /** One line for `testsift --help`. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  /** `--help` texts of subcommands with their own flags (`shard verify --help`), by name. */
  subcommands?: Record<string, string>;
  /** Returns the exit code: 0 success, 2 bad usage or input, 1 unexpected failure. */
  run(argv: string[], io: CliIO): Promise<number>;
}
