import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { principal } from '../kernel/http/auth.js';
import { codeParams, municipalityCodeSchema, staffErrors, staffSecurity, uuidSchema } from '../kernel/http/schemas.js';
import { MAX_TOUCH_ONLY_FLOWS, TOUCH_ONLY_FLOW, type MunicipalityService } from './service.js';
import { SERVICE_IDS, SERVICES, type ServiceId } from './services.js';

const nameProps = {
  nameJa: { type: 'string', minLength: 1, maxLength: 100 },
  nameEn: { type: 'string', minLength: 1, maxLength: 100 },
  prefectureJa: { type: 'string', minLength: 1, maxLength: 20 },
  prefectureEn: { type: 'string', minLength: 1, maxLength: 40 },
} as const;

const municipalityView = {
  type: 'object',
  properties: { code: { type: 'string' }, ...nameProps, vaultLocation: { type: 'string' } },
} as const;

const servicesSchema = { type: 'array', maxItems: 20, uniqueItems: true, items: { type: 'string', enum: SERVICE_IDS } } as const;

const str = { type: 'string' } as const;
const groupRef = { type: 'object', properties: { id: str, nameJa: str, nameEn: str } } as const;
const publicMunicipality = {
  type: 'object',
  properties: { ...municipalityView.properties, services: { type: 'array', items: str }, groups: { type: 'array', items: groupRef } },
} as const;
const serviceView = { type: 'object', properties: { id: str, nameJa: str, nameEn: str } } as const;

const memberView = {
  type: 'object',
  properties: { municipalityCode: { type: 'string' }, nameJa: { type: 'string' }, nameEn: { type: 'string' }, services: { type: 'array', items: { type: 'string' } } },
} as const;

const groupView = { type: 'object', properties: { ...groupRef.properties, members: { type: 'array', items: memberView } } } as const;

export function municipalityRoutes(app: FastifyInstance, deps: { municipalities: MunicipalityService; guard: preHandlerAsyncHookHandler }) {
  const { municipalities: svc, guard } = deps;
  const tags = ['municipality'];

  app.get('/api/public/municipalities', {
    schema: { tags, summary: 'Public directory of municipalities, their services and joint-use groups', response: { 200: { type: 'array', items: publicMunicipality } } },
  }, async () => svc.publicDirectory());

  app.get('/api/services', { schema: { tags, summary: 'Services a municipality can join', response: { 200: { type: 'array', items: serviceView } } } }, async () => SERVICES);

  app.get('/api/municipalities', {
    preHandler: guard, schema: { tags, summary: 'Municipalities visible to the staff member', security: staffSecurity, response: { 200: { type: 'array', items: municipalityView }, ...staffErrors } },
  }, async (req) => svc.list(principal(req)));

  app.post<{ Body: { code: string; nameJa: string; nameEn: string; prefectureJa: string; prefectureEn: string } }>('/api/municipalities', {
    preHandler: guard,
    schema: {
      tags, summary: 'Register a municipality (platform admin)', security: staffSecurity,
      body: { type: 'object', additionalProperties: false, required: ['code', 'nameJa', 'nameEn', 'prefectureJa', 'prefectureEn'], properties: { code: municipalityCodeSchema, ...nameProps } },
      response: { 201: municipalityView, ...staffErrors },
    },
  }, async (req, reply) => reply.code(201).send(await svc.create(principal(req), req.body)));

  app.patch<{ Params: { code: string }; Body: Partial<Record<keyof typeof nameProps, string>> }>('/api/municipalities/:code', {
    preHandler: guard,
    schema: {
      tags, summary: 'Edit a municipality\'s names', security: staffSecurity, params: codeParams,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: nameProps },
      response: { 200: municipalityView, ...staffErrors },
    },
  }, async (req) => svc.update(principal(req), req.params.code, req.body));

  app.get<{ Params: { code: string; service: ServiceId } }>('/api/municipalities/:code/services/:service', {
    schema: {
      tags, summary: 'Whether a municipality may use a service (403 service-not-joined if not)',
      params: { type: 'object', additionalProperties: false, required: ['code', 'service'], properties: { code: municipalityCodeSchema, service: { type: 'string', enum: SERVICE_IDS } } },
      response: {
        200: { type: 'object', properties: { municipalityCode: str, service: str, joined: { type: 'boolean', const: true } } },
        403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' },
      },
    },
  }, async (req) => {
    await svc.requireService(req.params.code, req.params.service);
    return { municipalityCode: req.params.code, service: req.params.service, joined: true };
  });

  app.get('/api/joint-use-groups', {
    preHandler: guard, schema: { tags, summary: 'Joint-use groups and their members\' services', security: staffSecurity, response: { 200: { type: 'array', items: groupView }, ...staffErrors } },
  }, async () => svc.groups());

  app.post<{ Body: { nameJa: string; nameEn: string } }>('/api/joint-use-groups', {
    preHandler: guard,
    schema: {
      tags, summary: 'Create a joint-use group (platform admin)', security: staffSecurity,
      body: { type: 'object', additionalProperties: false, required: ['nameJa', 'nameEn'], properties: { nameJa: nameProps.nameJa, nameEn: nameProps.nameEn } },
      response: { 201: groupView, ...staffErrors },
    },
  }, async (req, reply) => reply.code(201).send(await svc.createGroup(principal(req), req.body)));

  app.post<{ Params: { id: string }; Body: { municipalityCode: string; services: ServiceId[] } }>('/api/joint-use-groups/:id/members', {
    preHandler: guard,
    schema: {
      tags, summary: 'Add a member municipality to a group', security: staffSecurity,
      params: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: uuidSchema } },
      body: { type: 'object', additionalProperties: false, required: ['municipalityCode', 'services'], properties: { municipalityCode: municipalityCodeSchema, services: servicesSchema } },
      response: { 201: memberView, ...staffErrors },
    },
  }, async (req, reply) => reply.code(201).send(await svc.addMember(principal(req), req.params.id, req.body.municipalityCode, req.body.services)));

  app.put<{ Params: { id: string; code: string }; Body: { services: ServiceId[] } }>('/api/joint-use-groups/:id/members/:code/services', {
    preHandler: guard,
    schema: {
      tags, summary: 'Set the services a member uses under the agreement', security: staffSecurity,
      params: { type: 'object', additionalProperties: false, required: ['id', 'code'], properties: { id: uuidSchema, code: municipalityCodeSchema } },
      body: { type: 'object', additionalProperties: false, required: ['services'], properties: { services: servicesSchema } },
      response: { 200: memberView, ...staffErrors },
    },
  }, async (req) => svc.setServices(principal(req), req.params.id, req.params.code, req.body.services));

  const flowsView = { type: 'object', properties: { flows: { type: 'array', items: { type: 'string' } } } } as const;
  app.get<{ Params: { code: string } }>('/api/municipalities/:code/touch-only-flows', {
    preHandler: guard,
    schema: { tags, summary: 'Kiosk flows where a card touch without PIN may start a (weaker, card-touch) resident session', security: staffSecurity, params: codeParams, response: { 200: flowsView, ...staffErrors } },
  }, async (req) => svc.touchOnlyFlows(principal(req), req.params.code));

  app.put<{ Params: { code: string }; Body: { flows: string[] } }>('/api/municipalities/:code/touch-only-flows', {
    preHandler: guard,
    schema: {
      tags, summary: 'Set the touch-only kiosk flows (municipal admin)', security: staffSecurity, params: codeParams,
      body: {
        type: 'object', additionalProperties: false, required: ['flows'],
        properties: { flows: { type: 'array', maxItems: MAX_TOUCH_ONLY_FLOWS, uniqueItems: true, items: { type: 'string', pattern: TOUCH_ONLY_FLOW.source }, description: 'Flow ids, e.g. shelter-reentry, portal-view' } },
      },
      response: { 200: flowsView, ...staffErrors },
    },
  }, async (req) => svc.setTouchOnlyFlows(principal(req), req.params.code, req.body.flows));
}
