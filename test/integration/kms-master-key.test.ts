import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KmsMasterKey } from '../../src/adapters/kms/kms-master-key.js';
import { KmsFake } from '../support/kms-fake/kms-fake.js';

let kms: KmsFake;
let keyId: string;
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

beforeAll(async () => {
  kms = await KmsFake.start();
  keyId = kms.createKey();
});
afterAll(async () => kms?.close());

const masterKey = (id = keyId): KmsMasterKey => new KmsMasterKey({ keyId: id, region: 'eu-west-1', endpoint: kms.endpoint, credentials });

describe('KmsMasterKey over the KMS JSON protocol', () => {
  it('generates a 256-bit data key and unwraps it again for the same subject', async () => {
    const key = masterKey();
    const generated = await key.generateDataKey('c-1');
    expect(generated.plaintext).toHaveLength(32);
    expect(Buffer.from(await key.unwrap(generated.wrapped, 'c-1'))).toEqual(Buffer.from(generated.plaintext));
    expect(kms.calls.slice(-2)).toEqual(['TrentService.GenerateDataKey', 'TrentService.Decrypt']);
  });

  it("refuses to unwrap a subject's key for another subject (the encryption context), as a permanent failure", async () => {
    const key = masterKey();
    const generated = await key.generateDataKey('c-1');
    const refused = await key.unwrap(generated.wrapped, 'c-2').catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'MASTER_KEY.UNAVAILABLE', message: expect.stringContaining('InvalidCiphertextException') });
    expect((refused as { transient?: boolean }).transient).toBeUndefined();
  });

  it('names an unknown KMS key', async () => {
    await expect(masterKey('no-such-key').generateDataKey('c-1')).rejects.toMatchObject({ message: expect.stringContaining('NotFoundException') });
  });
});
