import { createContext, useContext } from 'react';

/**
 * Shared between the wizard and its text fields: whether a text field holds typed text, so `?` and
 * Backspace mean "help" and "back" only when they cannot mean a character.
 */
export interface KeyScope {
  typing: { current: boolean };
}

export const KeyScopeContext = createContext<KeyScope>({ typing: { current: false } });

export function useKeyScope(): KeyScope {
  return useContext(KeyScopeContext);
}
