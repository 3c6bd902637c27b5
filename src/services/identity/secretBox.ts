import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Authenticated encryption (AES-256-GCM) for the few secrets Sésame must keep for a moment —
 * a temporary password waiting in the mail outbox — so that no database column holds one in
 * clear. The key comes from SECRETS_KEY, or from a key file created once beside the database.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
  }

  static fromConfig(secretsKey: string | undefined, keyFile: string): SecretBox {
    if (secretsKey) return new SecretBox(Buffer.from(secretsKey, 'base64'));
    if (!fs.existsSync(keyFile)) {
      fs.mkdirSync(path.dirname(keyFile), { recursive: true });
      try {
        fs.writeFileSync(keyFile, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    return new SecretBox(Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64'));
  }

  /**
   * A keyed MAC (HMAC-SHA256, with a key derived for this purpose): how a short secret such as a
   * one-time code is kept, since a plain hash of six digits is reversed by trying them all.
   */
  mac(purpose: string, value: string): string {
    const key = Buffer.from(crypto.hkdfSync('sha256', this.key, Buffer.alloc(0), `sesame:${purpose}`, 32));
    return crypto.createHmac('sha256', key).update(value).digest('hex');
  }

  seal(plain: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || !data) throw new Error('Not a sealed secret');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
