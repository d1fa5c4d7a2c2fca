/** A full commit id as git prints it: SHA-1 (40 hex digits) or SHA-256 (64). */
export const FULL_SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i;
