/** A trimmed, bounded text filter from a query string, or undefined when empty. */
export function textParam(value: string | null, max = 200): string | undefined {
  return value && value.trim() ? value.trim().slice(0, max) : undefined;
}

/** A time filter from a query string, or undefined when it is not a time. */
export function timeParam(value: string | null): Date | undefined {
  const t = value ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? undefined : new Date(t);
}
