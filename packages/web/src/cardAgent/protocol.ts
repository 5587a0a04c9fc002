// The kiosk page ↔ card agent wire format is shared with the agent: packages/shared/src/cardAgentProtocol.ts.
export {
  DEFAULT_AGENT_PORT,
  type AgentBasicFour as BasicFour,
  type AgentErrorBody,
  type AgentEventName,
  type AgentFrame,
  type AgentReader,
  type AgentRequest,
  type AuthenticateResult,
  type IdentifyResult,
} from '@kazashi/shared';
