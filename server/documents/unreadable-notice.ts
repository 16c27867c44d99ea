/**
 * The sentence every reader shows in place of a text the editor cannot read (pages, CSV, "who
 * wrote this", refusals). Imported by the browser too.
 */
export const UNREADABLE_NOTICE = "This text could not be read; a facilitator can restore a version.";
