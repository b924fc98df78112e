/** Longest User-Agent header matched against the patterns; a longer one is cut (the patterns are operators' regexes). */
export const MAX_MATCHED_AGENT_LENGTH = 512;

export interface AgentPatterns {
  /** The agent must match one of these, */
  wanted: RegExp[];
  /** and none of these (written with a leading `!`). */
  refused: RegExp[];
}

/**
 * `davmesh.http.userAgentRouting.agents`: comma-separated regular expressions, as the admin
 * guide's `RewriteCond %{HTTP_USER_AGENT}` lines (OR-ed, the `!` ones AND-ed), case-sensitive as
 * they are there. Throws a SyntaxError naming the pattern that does not compile.
 */
export function parseAgentPatterns(text: string): AgentPatterns {
  const patterns: AgentPatterns = { wanted: [], refused: [] };
  for (const item of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const negated = item.startsWith('!');
    const source = negated ? item.slice(1).trim() : item;
    if (source === '') throw new SyntaxError(`"${item}" names no pattern`);
    try {
      (negated ? patterns.refused : patterns.wanted).push(new RegExp(source));
    } catch (error) {
      throw new SyntaxError(`"${item}" is not a valid regular expression: ${(error as Error).message}`);
    }
  }
  return patterns;
}

export function agentMatches(patterns: AgentPatterns, userAgent: string | undefined): boolean {
  if (!userAgent) return false;
  const agent = userAgent.slice(0, MAX_MATCHED_AGENT_LENGTH);
  return patterns.wanted.some((p) => p.test(agent)) && !patterns.refused.some((p) => p.test(agent));
}
