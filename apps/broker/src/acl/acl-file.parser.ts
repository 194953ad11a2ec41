import { isValidTopicFilter } from '@hearthbeat/contracts';

/**
 * Parser for mosquitto's `acl_file` format (man mosquitto.conf, "acl_file"), so that operators' files
 * carry over (protocol.md, "Access control"):
 *
 *   # comment (a line whose first non-blank character is `#`)
 *   topic [read|write|readwrite|deny] FILTER     lines before any `user` line: anonymous clients
 *   user NAME                                    starts NAME's section
 *   pattern [read|write|readwrite|deny] FILTER   every client, wherever it stands; %c = client id, %u = username
 *
 * The access word is optional (readwrite). FILTER is the rest of the line, so it may hold spaces
 * (mosquitto allows them only after an explicit access word, as here). Pure: text in, rules or
 * problems (with line numbers) out.
 */

export const ACL_ACCESS = ['read', 'write', 'readwrite', 'deny'] as const;
export type AclAccess = (typeof ACL_ACCESS)[number];

export interface AclRule {
  access: AclAccess;
  filter: string;
  /** 1-based line in the file, for messages. */
  line: number;
}

export interface AclFile {
  /** Rules before the first `user` line: clients that connected without a username. */
  anonymous: readonly AclRule[];
  /** Rules per username; a name given twice gets both sections. */
  users: ReadonlyMap<string, readonly AclRule[]>;
  /** `pattern` rules, for every client, with `%c` and `%u` still to be substituted. */
  patterns: readonly AclRule[];
}

export interface AclProblem {
  line: number;
  message: string;
}

export type AclParseResult = { ok: true; value: AclFile } | { ok: false; problems: AclProblem[] };

/** Thrown at start-up (or reload) when the access file does not parse; names the file and every line. */
export class AclParseError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly AclProblem[],
  ) {
    super(`${source}: ${problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`);
    this.name = 'AclParseError';
  }
}

const isAccess = (word: string): word is AclAccess => (ACL_ACCESS as readonly string[]).includes(word);
const SUBSTITUTIONS = /%[cu]/;

function splitKeyword(line: string): [string, string] {
  const m = /^(\S+)\s*(.*)$/.exec(line);
  return m ? [m[1] as string, (m[2] as string).trim()] : ['', ''];
}

function parseRuleArgs(rest: string, keyword: 'topic' | 'pattern', line: number): AclRule | AclProblem {
  if (rest === '') return { line, message: `"${keyword}" needs a topic filter` };
  const [first, after] = splitKeyword(rest);
  const access: AclAccess = isAccess(first) ? first : 'readwrite';
  const filter = isAccess(first) ? after : rest;
  if (filter === '') return { line, message: `"${keyword} ${first}" needs a topic filter` };
  if (!isValidTopicFilter(filter)) return { line, message: `invalid topic filter ${JSON.stringify(filter)} ([MQTT-4.7.1])` };
  for (const level of filter.split('/')) {
    if (!SUBSTITUTIONS.test(level)) continue;
    if (keyword === 'topic') {
      return { line, message: `${JSON.stringify(level)} in a "topic" line is not substituted; use "pattern"` };
    }
    // man mosquitto.conf: "The substitution pattern must be the only text for that level of hierarchy."
    if (level !== '%c' && level !== '%u') return { line, message: `substitution must be a whole level, got ${JSON.stringify(level)}` };
  }
  return { access, filter, line };
}

export function parseAclFile(text: string): AclParseResult {
  const anonymous: AclRule[] = [];
  const users = new Map<string, AclRule[]>();
  const patterns: AclRule[] = [];
  const problems: AclProblem[] = [];
  let section: AclRule[] = anonymous;

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const [keyword, rest] = splitKeyword(trimmed);
    switch (keyword) {
      case 'user': {
        if (rest === '') {
          problems.push({ line, message: '"user" needs a username' });
          return;
        }
        const existing = users.get(rest);
        section = existing ?? [];
        if (!existing) users.set(rest, section);
        return;
      }
      case 'topic':
      case 'pattern': {
        const rule = parseRuleArgs(rest, keyword, line);
        if ('message' in rule) problems.push(rule);
        else (keyword === 'pattern' ? patterns : section).push(rule);
        return;
      }
      default:
        problems.push({ line, message: `unknown keyword ${JSON.stringify(keyword)}; expected user, topic or pattern` });
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { anonymous, users, patterns } };
}

/** Parses or throws an {@link AclParseError} naming `source` (the file path). */
export function parseAclFileOrThrow(text: string, source: string): AclFile {
  const result = parseAclFile(text);
  if (!result.ok) throw new AclParseError(source, result.problems);
  return result.value;
}

export const EMPTY_ACL: AclFile = { anonymous: [], users: new Map(), patterns: [] };
