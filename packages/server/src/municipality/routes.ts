import type { preHandlerAsyncHookHandler } from 'fastify';
import { principal } from '../kernel/http/auth.js';
import { MunicipalityCode, Strict, Type, Uuid, type App } from '../kernel/http/contract.js';
import { staffErrors, staffSecurity } from '../kernel/http/schemas.js';
import {
  JointUseGroup, JointUseGroupInput, JointUseMember, JointUseMemberInput, JointUseServicesInput, MunicipalityInput, MunicipalityPatch,
  MunicipalityView, PublicMunicipality, ServiceId, ServiceJoined, ServiceView, TouchOnlyFlows, TouchOnlyFlowsInput,
} from './contract.js';
import type { MunicipalityService } from './service.js';
import { SERVICES } from './services.js';

const code = MunicipalityCode;
const uuid = Uuid;
const codeParams = Strict({ code });

export function municipalityRoutes(app: App, deps: { municipalities: MunicipalityService; guard: preHandlerAsyncHookHandler }) {
  const { municipalities: svc, guard } = deps;
  const tags = ['municipality'];

  app.get('/api/public/municipalities', {
    schema: { tags, summary: 'Public directory of municipalities, their services and joint-use groups', response: { 200: Type.Array(PublicMunicipality) } },
  }, async () => svc.publicDirectory());

  app.get('/api/services', { schema: { tags, summary: 'Services a municipality can join', response: { 200: Type.Array(ServiceView) } } }, async () => [...SERVICES]);

  app.get('/api/municipalities', {
    preHandler: guard, schema: { tags, summary: 'Municipalities visible to the staff member', security: staffSecurity, response: { 200: Type.Array(MunicipalityView), ...staffErrors } },
  }, async (req) => svc.list(principal(req)));

  app.post('/api/municipalities', {
    preHandler: guard,
    schema: {
      tags, summary: 'Register a municipality (platform admin)', security: staffSecurity,
      body: MunicipalityInput,
      response: { 201: MunicipalityView, ...staffErrors },
    },
  }, async (req, reply) => reply.code(201).send(await svc.create(principal(req), req.body)));

  app.patch('/api/municipalities/:code', {
    preHandler: guard,
    schema: {
      tags, summary: 'Edit a municipality\'s names', security: staffSecurity, params: codeParams,
      body: MunicipalityPatch,
      response: { 200: MunicipalityView, ...staffErrors },
    },
  }, async (req) => svc.update(principal(req), req.params.code, req.body));

  app.get('/api/municipalities/:code/services/:service', {
    schema: {
      tags, summary: 'Whether a municipality may use a service (403 service-not-joined if not)',
      params: Strict({ code, service: ServiceId }),
      response: { 200: ServiceJoined, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } },
    },
  }, async (req) => {
    await svc.requireService(req.params.code, req.params.service);
    return { municipalityCode: req.params.code, service: req.params.service, joined: true as const };
  });

  app.get('/api/joint-use-groups', {
    preHandler: guard, schema: { tags, summary: 'Joint-use groups and their members\' services', security: staffSecurity, response: { 200: Type.Array(JointUseGroup), ...staffErrors } },
  }, async () => svc.groups());

  app.post('/api/joint-use-groups', {
    preHandler: guard,
    schema: {
      tags, summary: 'Create a joint-use group (platform admin)', security: staffSecurity,
      body: JointUseGroupInput,
      response: { 201: JointUseGroup, ...staffErrors },
    },
  }, async (req, reply) => reply.code(201).send(await svc.createGroup(principal(req), req.body)));

  app.post('/api/joint-use-groups/:id/members', {
    preHandler: guard,
    schema: {
      tags, summary: 'Add a member municipality to a group', security: staffSecurity,
      params: Strict({ id: uuid }),
      body: JointUseMemberInput,
      response: { 201: JointUseMember, ...staffErrors },
    },
  }, async (req, reply) => reply.code(201).send(await svc.addMember(principal(req), req.params.id, req.body.municipalityCode, req.body.services)));

  app.put('/api/joint-use-groups/:id/members/:code/services', {
    preHandler: guard,
    schema: {
      tags, summary: 'Set the services a member uses under the agreement', security: staffSecurity,
      params: Strict({ id: uuid, code }),
      body: JointUseServicesInput,
      response: { 200: JointUseMember, ...staffErrors },
    },
  }, async (req) => svc.setServices(principal(req), req.params.id, req.params.code, req.body.services));

  app.get('/api/municipalities/:code/touch-only-flows', {
    preHandler: guard,
    schema: { tags, summary: 'Kiosk flows where a card touch without PIN may start a (weaker, card-touch) resident session', security: staffSecurity, params: codeParams, response: { 200: TouchOnlyFlows, ...staffErrors } },
  }, async (req) => svc.touchOnlyFlows(principal(req), req.params.code));

  app.put('/api/municipalities/:code/touch-only-flows', {
    preHandler: guard,
    schema: {
      tags, summary: 'Set the touch-only kiosk flows (municipal admin)', security: staffSecurity, params: codeParams,
      body: TouchOnlyFlowsInput,
      response: { 200: TouchOnlyFlows, ...staffErrors },
    },
  }, async (req) => svc.setTouchOnlyFlows(principal(req), req.params.code, req.body.flows));
}
