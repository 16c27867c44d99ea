// Shared by the sync server (which assigns colours) and the page (the caret colour it asks for).
/**
 * Dark enough for white text at WCAG AA (every entry >= 4.5:1 against #FFFFFF; the integration
 * test recomputes the ratios), and distinct enough that neighbouring user ids differ.
 */
export const PRESENCE_COLOURS = [
  "#B91C1C",
  "#C2410C",
  "#A16207",
  "#4D7C0F",
  "#15803D",
  "#0F766E",
  "#0E7490",
  "#1D4ED8",
  "#4338CA",
  "#6D28D9",
  "#A21CAF",
  "#BE185D",
] as const;

export function presenceColour(userId: number): string {
  const index = ((userId % PRESENCE_COLOURS.length) + PRESENCE_COLOURS.length) % PRESENCE_COLOURS.length;
  return PRESENCE_COLOURS[index];
}
