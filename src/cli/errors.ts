// Two kinds of failure, two exit codes: 2 when the command line is wrong (fix
// what you typed), 1 when the command was fine but could not be done (the
// node refused it, or is not running). Each message is one line.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}
