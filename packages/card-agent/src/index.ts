// Public API of @kazashi/card-agent.
export {};
