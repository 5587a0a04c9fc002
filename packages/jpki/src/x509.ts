// @peculiar/x509 needs the reflect-metadata polyfill loaded first and a WebCrypto provider; every
// module (and test) in this package imports x509 from here so that both are always in place.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
