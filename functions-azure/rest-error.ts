/**
 * An error from a REST API Tourniquet calls with `fetch` (Microsoft Graph, ARM for AI accounts), in
 * the shape of an SDK `RestError`, so errors.ts translates both alike: a vendor error, not one of
 * Tourniquet's (core/errors.ts). The body is cut; it is never a secret (error bodies carry none).
 */
export class RestApiError extends Error {
  override name = 'RestApiError';
  readonly statusCode: number;
  readonly code: string;
  constructor(service: string, status: number, code: string, message: string) {
    super(`${service} ${status} ${code}: ${message}`);
    this.statusCode = status;
    this.code = code;
  }
}

/** The error a failed response stands for: its status and the service's `error.code`. */
export async function restFailure(service: string, response: Response): Promise<RestApiError> {
  const text = await response.text().catch(() => '');
  let code = 'Error';
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? code;
  } catch {}
  return new RestApiError(service, response.status, code, text.slice(0, 300));
}
