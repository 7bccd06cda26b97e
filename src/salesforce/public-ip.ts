import { isIP } from 'node:net';
import { httpRequest, type HttpSettings } from './http.js';

/**
 * The public-address service `doctor --detect-ip` asks (only with that flag, and the doctor says so).
 * SF_SETUP_IP_SERVICE points it elsewhere (a company's own echo service, or a local one in tests).
 */
export const DEFAULT_IP_SERVICE = 'https://api.ipify.org';

export function ipService(env: NodeJS.ProcessEnv): string {
  return env.SF_SETUP_IP_SERVICE || DEFAULT_IP_SERVICE;
}

/** This machine's public IP address as the service sees it, or an explanation of why it is unknown. */
export async function detectPublicIp(http: HttpSettings): Promise<{ ip?: string; service: string; problem?: string }> {
  const service = ipService(http.env);
  try {
    const response = await httpRequest({ method: 'GET', url: service, headers: { accept: 'text/plain' } }, http);
    const text = response.body.trim();
    if (response.status === 200 && isIP(text)) return { ip: text, service };
    return { service, problem: `${new URL(service).host} answered ${response.status} without an address` };
  } catch (error) {
    return { service, problem: error instanceof Error ? error.message : String(error) };
  }
}
