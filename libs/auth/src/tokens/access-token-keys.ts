import { createHash, createSecretKey, KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { authConfig } from '../auth.config';

/** The JWT header fields the key lookup reads (jsonwebtoken passes the decoded header). */
type JwtHeader = { kid?: unknown };
type KeyCallback = (error: Error | null, key?: KeyObject) => void;

/**
 * A key's id (`kid`): the first 16 base64url characters (96 bits) of the SHA-256 of the
 * secret. It names the key without revealing it: recovering a 32-byte random secret from
 * its hash is as hard as from any token's signature, which every client already holds.
 */
export function keyIdOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url').slice(0, 16);
}

/**
 * The HS256 keys of access tokens: tokens are always signed with JWT_SECRET; they are
 * verified with the key their `kid` names, JWT_SECRET's or, during a rotation,
 * JWT_PREVIOUS_SECRET's (docs/operations.md, "Rotating the JWT secret").
 *
 * Each KeyObject is made once (jsonwebtoken would re-derive a string secret on every
 * call) and the verification key is one Map lookup on the `kid`, so a request costs one
 * HMAC whatever the number of keys. A token without `kid` (minted before tokens carried
 * one) is verified with the current key only: trying both keys would let any kid-less
 * token make us compute two HMACs, and keep the old key reachable without naming it.
 * Such tokens live at most one access-token lifetime after this version is deployed.
 */
@Injectable()
export class AccessTokenKeys {
  readonly signingKid: string;
  readonly signingKey: KeyObject;
  private readonly byKid = new Map<string, KeyObject>();

  constructor(@Inject(authConfig.KEY) config: ConfigType<typeof authConfig>) {
    this.signingKid = keyIdOf(config.secret);
    this.signingKey = createSecretKey(Buffer.from(config.secret, 'utf8'));
    if (config.previousSecret !== undefined) {
      this.byKid.set(keyIdOf(config.previousSecret), createSecretKey(Buffer.from(config.previousSecret, 'utf8')));
    }
    // Set last: when both settings hold the same secret, the current key wins (it is the same).
    this.byKid.set(this.signingKid, this.signingKey);
  }

  /**
   * jsonwebtoken's key callback (`verify(token, lookup, options, done)`), called with the
   * header it already decoded. An unknown `kid` fails like a bad signature (401).
   */
  readonly lookup = (header: JwtHeader, done: KeyCallback): void => {
    const key = header.kid === undefined ? this.signingKey : this.byKid.get(header.kid as string);
    if (key) {
      done(null, key);
    } else {
      done(new Error('unknown key id (kid)'));
    }
  };
}
