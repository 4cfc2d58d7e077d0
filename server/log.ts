/**
 * Plain line logging to stderr. Callers pass messages and ids, never petition text or contacts: the
 * log is not a place for personal data.
 */
export interface Log {
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack || `${error.name}: ${error.message}`;
  return String(error);
}

export function createLog(quiet = false): Log {
  const line = (level: string, message: string, error?: unknown) => {
    const suffix = error === undefined ? '' : `\n${describe(error)}`;
    process.stderr.write(`${new Date().toISOString()} ${level} ${message}${suffix}\n`);
  };
  return {
    info: (m) => {
      if (!quiet) line('info', m);
    },
    warn: (m, e) => line('warn', m, e),
    error: (m, e) => line('error', m, e),
  };
}
