/** Workshop codes and defaults: pure, so pages can use them too. */

/** Unambiguous when read aloud or from a projector: no 0/O, 1/I/L. */
export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const DEFAULT_TIME_BOX_MINUTES = 15;

/** "abcd efgh", "ABCD-EFGH" and "abcdefgh" are the same code. */
export function normaliseGuestCode(input: string): string {
  return input.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

export function formatGuestCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
