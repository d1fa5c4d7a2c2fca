/** An on/off environment variable set to on: `1`, `true`, `yes` or `on` (any case). */
export function envTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}
