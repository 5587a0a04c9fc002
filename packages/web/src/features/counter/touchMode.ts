/**
 * Which card touch the counter is waiting for. Only one at a time: both use the one reader, and a
 * card on it must go to the flow the staff member started.
 */
export type TouchMode = 'login' | 'renewal' | null;

export interface TouchModeControl {
  mode: TouchMode;
  setMode: (mode: TouchMode) => void;
}
