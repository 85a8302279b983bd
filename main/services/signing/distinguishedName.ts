// A certificate's names as the UI shows them, from Node's X509Certificate subject/issuer text
// ("CN=…\nO=…\nC=VN").

/** One field of a distinguished name ('' when absent). */
export function dnField(dn: string, key: string): string {
  return new RegExp(`(?:^|\\n)${key}=([^\\n]*)`).exec(dn)?.[1] ?? '';
}

/** The common name, else the whole name. */
export const commonName = (dn: string): string => dnField(dn, 'CN') || dn;
