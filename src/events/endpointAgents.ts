import http from 'node:http';
import https from 'node:https';

/**
 * One keep-alive agent per endpoint: at 1,000 events a second a new TCP (and TLS) connection per
 * delivery would be the cost, and an agent shared by host would let one hanging endpoint take the
 * sockets of another on the same host (two merchants' receivers at one SaaS). Each agent holds at most
 * the endpoint's own in-flight slots. An agent is replaced when its endpoint's URL or checked address
 * changes, and dropped with the delivery worker.
 */
export class EndpointAgents {
  private readonly agents = new Map<number, { key: string; agent: http.Agent }>();

  constructor(private readonly maxSockets: number) {}

  for(endpointId: number, url: URL, address: string): http.Agent {
    const key = `${url.protocol}//${url.host}@${address}`;
    const held = this.agents.get(endpointId);
    if (held?.key === key) return held.agent;
    held?.agent.destroy();
    const options = { keepAlive: true, maxSockets: this.maxSockets, maxFreeSockets: this.maxSockets, scheduling: 'lifo' as const };
    const agent = url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    this.agents.set(endpointId, { key, agent });
    return agent;
  }

  /** An endpoint disabled or deleted: its sockets go now. */
  drop(endpointId: number): void {
    this.agents.get(endpointId)?.agent.destroy();
    this.agents.delete(endpointId);
  }

  close(): void {
    for (const { agent } of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
