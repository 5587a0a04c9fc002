// The JSON shapes of the municipality API, written once: route schemas (validation, serialization, the
// OpenAPI document the web client's types are generated from) and the server's own types.
import { MunicipalityCode, Strict, StringEnum, Type, type Static } from '../kernel/http/contract.js';
import { SERVICE_IDS } from './services.js';
import { MAX_TOUCH_ONLY_FLOWS, TOUCH_ONLY_FLOW } from './service.js';

const str = Type.String();
const code = MunicipalityCode;

/** A service a municipality can join under a joint-use agreement (共同利用). */
export const ServiceId = StringEnum(SERVICE_IDS);
export type ServiceId = Static<typeof ServiceId>;

const nameFields = {
  nameJa: Type.String({ minLength: 1, maxLength: 100 }),
  nameEn: Type.String({ minLength: 1, maxLength: 100 }),
  prefectureJa: Type.String({ minLength: 1, maxLength: 20 }),
  prefectureEn: Type.String({ minLength: 1, maxLength: 40 }),
};

/** A municipality as staff see it. */
export const MunicipalityView = Type.Object({
  code: str, nameJa: str, nameEn: str, prefectureJa: str, prefectureEn: str,
  vaultLocation: Type.String({ description: 'Where its personal-data vault lives: embedded, postgres or remote' }),
});
export type MunicipalityView = Static<typeof MunicipalityView>;

/** POST /api/municipalities (platform admin). */
export const MunicipalityInput = Strict({ code, ...nameFields });
export type MunicipalityInput = Static<typeof MunicipalityInput>;

/** PATCH /api/municipalities/:code: the names to change. */
export const MunicipalityPatch = Strict({
  nameJa: Type.Optional(nameFields.nameJa), nameEn: Type.Optional(nameFields.nameEn),
  prefectureJa: Type.Optional(nameFields.prefectureJa), prefectureEn: Type.Optional(nameFields.prefectureEn),
}, { minProperties: 1 });
export type MunicipalityPatch = Static<typeof MunicipalityPatch>;

/** A joint-use group, by name only. */
export const JointUseGroupRef = Type.Object({ id: str, nameJa: str, nameEn: str });
export type JointUseGroupRef = Static<typeof JointUseGroupRef>;

/** The public directory's entry: a municipality, the services it has joined and its groups. */
export const PublicMunicipality = Type.Object({
  ...MunicipalityView.properties,
  services: Type.Array(Type.String(), { description: 'The services it has joined under any joint-use agreement (sorted)' }),
  groups: Type.Array(JointUseGroupRef),
});
export type PublicMunicipality = Static<typeof PublicMunicipality>;

/** A service a municipality can join (GET /api/services). */
export const ServiceView = Type.Object({ id: ServiceId, nameJa: str, nameEn: str });
export type ServiceView = Static<typeof ServiceView>;

/** GET /api/municipalities/:code/services/:service (403 service-not-joined otherwise). */
export const ServiceJoined = Type.Object({ municipalityCode: str, service: ServiceId, joined: Type.Literal(true) });
export type ServiceJoined = Static<typeof ServiceJoined>;

/** A member municipality of a joint-use group and the services it uses under the agreement. */
export const JointUseMember = Type.Object({ municipalityCode: str, nameJa: str, nameEn: str, services: Type.Array(Type.String()) });
export type JointUseMember = Static<typeof JointUseMember>;

export const JointUseGroup = Type.Object({ id: str, nameJa: str, nameEn: str, members: Type.Array(JointUseMember) });
export type JointUseGroup = Static<typeof JointUseGroup>;

/** POST /api/joint-use-groups (platform admin). */
export const JointUseGroupInput = Strict({ nameJa: nameFields.nameJa, nameEn: nameFields.nameEn });
export type JointUseGroupInput = Static<typeof JointUseGroupInput>;

const servicesInput = Type.Array(ServiceId, { maxItems: 20, uniqueItems: true });

/** POST /api/joint-use-groups/:id/members */
export const JointUseMemberInput = Strict({ municipalityCode: code, services: servicesInput });
export type JointUseMemberInput = Static<typeof JointUseMemberInput>;

/** PUT /api/joint-use-groups/:id/members/:code/services */
export const JointUseServicesInput = Strict({ services: servicesInput });
export type JointUseServicesInput = Static<typeof JointUseServicesInput>;

/** Kiosk flows where a card touch without PIN may start a (weaker, card-touch) resident session. */
export const TouchOnlyFlows = Type.Object({ flows: Type.Array(Type.String()) });
export type TouchOnlyFlows = Static<typeof TouchOnlyFlows>;

/** PUT /api/municipalities/:code/touch-only-flows */
export const TouchOnlyFlowsInput = Strict({
  flows: Type.Array(Type.String({ pattern: TOUCH_ONLY_FLOW.source }), { maxItems: MAX_TOUCH_ONLY_FLOWS, uniqueItems: true, description: 'Flow ids, e.g. shelter-reentry, portal-view' }),
});
export type TouchOnlyFlowsInput = Static<typeof TouchOnlyFlowsInput>;
