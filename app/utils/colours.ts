// Dark enough for white caret labels to meet 4.5:1 contrast.
const PALETTE = ["#1d70b8", "#00703c", "#d4351c", "#4c2c92", "#6f4e00", "#912b88", "#003078", "#505a5f", "#a7366e", "#00594f", "#8a3b00", "#2e358b"];

export function colourForUser(userId: number): string {
  return PALETTE[Math.abs(userId) % PALETTE.length] ?? "#1d70b8";
}
