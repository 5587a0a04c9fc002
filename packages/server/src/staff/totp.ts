import * as OTPAuth from 'otpauth';

const PERIOD = 30;

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function totpUri(secret: string, loginName: string): string {
  return new OTPAuth.TOTP({ issuer: 'Kazashi', label: loginName, secret: OTPAuth.Secret.fromBase32(secret), period: PERIOD }).toString();
}

export function totpCode(secret: string, at = Date.now()): string {
  return OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(secret), period: PERIOD, timestamp: at });
}

/** The time step the code belongs to (±1 step of clock drift), or null. Callers refuse steps already used. */
export function totpStep(secret: string, token: string, at = Date.now()): number | null {
  const delta = OTPAuth.TOTP.validate({ token, secret: OTPAuth.Secret.fromBase32(secret), period: PERIOD, timestamp: at, window: 1 });
  return delta === null ? null : Math.floor(at / 1000 / PERIOD) + delta;
}
