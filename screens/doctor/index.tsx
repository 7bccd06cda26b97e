import { render } from 'ink';
import type { DoctorScreenProps } from './DoctorScreen.js';
import { DoctorScreen } from './DoctorScreen.js';

/** Mount the doctor's live screen; resolves with the exit code when the user leaves it. */
export async function renderDoctor(props: Omit<DoctorScreenProps, 'onExit'>): Promise<number> {
  let code = 0;
  const app = render(<DoctorScreen {...props} onExit={(c) => (code = c)} />, { exitOnCtrlC: false });
  await app.waitUntilExit();
  return code;
}
