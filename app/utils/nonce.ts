import { createContext, useContext } from "react";

/**
 * This response's Content-Security-Policy nonce, given by entry.server to the root layout for
 * Remix's inline scripts. In the browser it is "": browsers hide nonces from the DOM, and scripts
 * added after hydration are our own files, which the policy allows.
 */
export const NonceContext = createContext("");

export const useNonce = () => useContext(NonceContext);
