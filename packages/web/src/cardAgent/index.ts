/**
 * The browser side of the kiosk card agent (packages/card-agent): a typed WebSocket client, the
 * page's shared connection (provider + hook), and the resident-facing card components.
 *
 * ```tsx
 * import { CardAgentProvider, CardTouch, BasicFourRead, useCardAgent } from '../cardAgent';
 *
 * <CardAgentProvider>            // one connection per page; reads ?agentPort=&agentToken= once
 *   <CardTouch getChallenge={…} onAuthenticated={({ challengeId, certificate, signature }) => …} />
 * </CardAgentProvider>
 * ```
 * Strings live in i18n/resident.{ja,en}.ts under `resident.cardAgent`.
 */
export { CardAgentClient, type CardAgentClientOptions, type CloseReason } from './client';
export { CardAgentError, isCardAgentError, type CardAgentErrorCode } from './errors';
export type { AgentReader, AgentEventName, AuthenticateResult, BasicFour, IdentifyResult } from './protocol';
export { DEFAULT_AGENT_PORT } from './protocol';
export { SETTINGS_KEY, loadAgentSettings, saveAgentSettings, applyAgentUrlParams, agentUrl, type CardAgentSettings } from './settings';
export { CardAgentProvider, useCardAgent, type CardAgentStatus, type CardAgentValue } from './CardAgentProvider';
export { CardAgentStatusPanel } from './CardAgentStatusPanel';
export { CardTouch, type CardTouchProps, type CardTouchResult, type CardChallenge } from './CardTouch';
export { BasicFourRead, BasicFourList, type BasicFourReadProps } from './BasicFourRead';
export { PinForm, type PinFormProps, type PinKind } from './PinForm';
export { AgentSettingsDetails, AgentSettingsForm } from './AgentSettingsForm';
