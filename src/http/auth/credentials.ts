// What the FHIR client needs from any auth scheme.

export interface Credentials {
  /** The Authorization header value for the FHIR server, or undefined to send none. */
  authorization(): Promise<string | undefined>;
  /** The FHIR server answered 401: drop any cached token. True when asking again could give a new one. */
  invalidate(): boolean;
}

/** HTTP for the auth flows (discovery, token endpoint): bounded and logged like every request, never credentialed. */
export interface AuthHttp {
  /** GET expecting JSON; body is undefined when the answer is not JSON. Rejects only for transport problems. */
  getJson(url: string): Promise<{ status: number; body: unknown; url: string }>;
  /** POST an x-www-form-urlencoded form; the body parsed as JSON when it is. */
  postForm(url: string, form: Record<string, string>, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
}

export const NO_CREDENTIALS: Credentials = {
  authorization: async () => undefined,
  invalidate: () => false,
};
