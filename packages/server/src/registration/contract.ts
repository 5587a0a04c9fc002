// The JSON shapes of the registration API, written once: route schemas (validation, serialization, the
// OpenAPI document the web client's types are generated from) and the server's own types.
import { touchProperties } from '../identity/index.js';
import { categoryIds } from '../kernel/dataCategories.js';
import { MunicipalityCode, Nullable, Strict, StringEnum, Timestamp, Type, type Static, type TSchema } from '../kernel/http/contract.js';
import { ACR } from '../kernel/residentCaller.js';

const str = Type.String();
const ID_PATTERN = '^[a-z0-9][a-z0-9._:-]{0,63}$';
const idList = <T extends TSchema>(description: string, item: T) => Type.Array(item, { maxItems: 50, uniqueItems: true, description });
const consentInputProperties = <C extends TSchema>(category: C) => ({
  purpose: Type.String({ minLength: 2, maxLength: 200 }),
  services: Type.Optional(idList('Service ids the consent covers', Type.String({ pattern: ID_PATTERN }))),
  categories: Type.Optional(idList('Data categories the consent covers', category)),
  recipients: Type.Optional(idList('Municipality codes of the joint-use group that may receive the data', MunicipalityCode)),
  termsVersion: Type.String({ minLength: 1, maxLength: 40 }),
});

/**
 * A consent as given (the resident on My page, or with the first registration). The routes validate
 * it with {@link consentInputSchema}, whose `categories` are the declared data categories.
 */
export const ConsentInput = Strict(consentInputProperties(Type.String({ pattern: ID_PATTERN })));
export type ConsentInput = Static<typeof ConsentInput>;
/**
 * ConsentInput as routes validate it, built when they are registered: every module has declared its
 * data categories by then (they are the enum of `categories`).
 */
export const consentInputSchema = () => Strict(consentInputProperties(StringEnum(categoryIds())), { title: 'ConsentInput' });

/** A consent record in the shape of ISO/IEC TS 27560. */
export const ConsentView = Type.Object({
  id: str,
  subject: Type.String({ description: 'The resident id' }),
  controller: Type.String({ description: 'The municipality code' }),
  purpose: str,
  scope: Type.Object({ services: Type.Array(str), dataCategories: Type.Array(str) }),
  recipients: Type.Array(str),
  givenAt: Timestamp(),
  withdrawnAt: Nullable(Timestamp()),
  status: StringEnum(['active', 'withdrawn'] as const),
  termsVersion: str,
});
export type ConsentView = Static<typeof ConsentView>;

/** Every consent record of a resident as one JSON document (ISO/IEC TS 27560 shape). */
export const ConsentExport = Type.Object({
  schema: Type.String({ description: 'ISO/IEC TS 27560' }), exportedAt: Timestamp(), subject: str, controller: str, records: Type.Array(ConsentView),
});
export type ConsentExport = Static<typeof ConsentExport>;

/** The card touch of a request: the challenge, the purpose it was issued for, the certificate and signature. */
const touch = <P extends string>(purpose: P) => {
  const t = touchProperties({});
  return {
    challengeId: Type.Unsafe<string>(t.challengeId), purpose: Type.Literal(purpose),
    certificate: Type.Unsafe<string>(t.certificate), signature: Type.Unsafe<string>(t.signature),
  };
};
const field = (maxLength: number) => Type.String({ minLength: 1, maxLength });

/** The basic four items (基本4情報), read from the card through the agent or typed by staff. */
export const BasicFour = Strict({ name: field(200), address: field(500), birthDate: field(40), sex: field(10) });
export type BasicFour = Static<typeof BasicFour>;

const registrationRequestProperties = <C extends TSchema>(consent: C) => ({
  ...touch('registration'), basicFour: Type.Optional(BasicFour), consents: Type.Array(consent, { maxItems: 50 }),
});
/**
 * POST /api/municipalities/:code/registrations: the card touch (purpose registration), the basic
 * four if read, the consents. Validated with {@link registrationRequestSchema}.
 */
export const RegistrationRequest = Strict(registrationRequestProperties(ConsentInput));
export type RegistrationRequest = Static<typeof RegistrationRequest>;
/** RegistrationRequest as the route validates it (its consents' categories: see {@link consentInputSchema}). */
export const registrationRequestSchema = () => Strict(registrationRequestProperties(consentInputSchema()), { title: 'RegistrationRequest' });

export const RegistrationResult = Type.Object({
  residentId: str,
  residentNumber: Type.String({ description: '住民ID (6 digits, Damm check digit)' }),
  globalId: Type.String({ description: '<municipality code>-<resident ID>' }),
});
export type RegistrationResult = Static<typeof RegistrationResult>;

/** POST /api/municipalities/:code/card-logins: a card touch with purpose login. */
export const CardLoginRequest = Strict(touch('login'));
export type CardLoginRequest = Static<typeof CardLoginRequest>;

export const CardLoginResult = Type.Object({ ...RegistrationResult.properties, acr: Type.Literal(ACR.cardPin) });
export type CardLoginResult = Static<typeof CardLoginResult>;
