import { useEffect, useState } from 'react';

/**
 * Seconds left until `deadline` (epoch ms), ticking each second; calls `onZero` once when it reaches 0.
 * Null deadline: stopped. The timer is cleared on unmount so the process can end by itself.
 */
export function useCountdown(deadline: number | null, onZero: () => void): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (deadline === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    const fire = setTimeout(onZero, Math.max(0, deadline - Date.now()));
    return () => {
      clearInterval(timer);
      clearTimeout(fire);
    };
    // onZero changes identity each render; the deadline alone decides.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [deadline]);
  return deadline === null ? 0 : Math.max(0, Math.ceil((deadline - now) / 1000));
}
