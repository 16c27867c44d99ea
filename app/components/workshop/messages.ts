export const GUEST_ENDED_MESSAGE =
  "Your guest access has ended: the facilitator closed the workshop. Thank you for taking part.";
