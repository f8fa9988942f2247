import { generate } from 'selfsigned';

/**
 * A certificate for 127.0.0.1 and localhost made at start: MSAL refuses a non-HTTPS
 * authority (`authority_uri_insecure`), so clients trust this one as their CA (docs/design.md §6).
 */
export async function loopbackCertificate(): Promise<{ key: string; cert: string }> {
  const notAfterDate = new Date();
  notAfterDate.setDate(notAfterDate.getDate() + 2);
  const pems = await generate([{ name: 'commonName', value: 'graph-emulator.localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
