// The wire protocol is shared with the kiosk web page: packages/shared/src/cardAgentProtocol.ts.
export {
  parseAgentRequest as parseRequest,
  type AgentErrorBody,
  type AgentEventName as AgentEvent,
  type AgentHello as Hello,
  type AgentOperation as Operation,
  type AgentReply as Reply,
  type AgentRequestFrame as Request,
} from '@kazashi/shared';
