import { AclParseError, parseAclFile, parseAclFileOrThrow, type AclFile } from './acl-file.parser';

const ok = (text: string): AclFile => {
  const r = parseAclFile(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
};
const plain = (rules: readonly { access: string; filter: string }[]) => rules.map((r) => [r.access, r.filter]);

describe('parseAclFile: accepted files', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['empty file', '', { anonymous: [], users: {}, patterns: [] }],
    ['comments and blank lines', '# a comment\n\n   # indented comment\n\t\n', { anonymous: [], users: {}, patterns: [] }],
    ['anonymous section before any user', 'topic read hb/v1/#\ntopic write x/y', { anonymous: [['read', 'hb/v1/#'], ['write', 'x/y']], users: {}, patterns: [] }],
    ['access omitted means readwrite', 'topic foo/bar', { anonymous: [['readwrite', 'foo/bar']], users: {}, patterns: [] }],
    ['deny', 'user dash\ntopic deny hb/v1/SA-1/#', { anonymous: [], users: { dash: [['deny', 'hb/v1/SA-1/#']] }, patterns: [] }],
    [
      'user sections',
      'user roger\ntopic foo/bar\nuser li.bin\ntopic read hb/v1/+/status',
      { anonymous: [], users: { roger: [['readwrite', 'foo/bar']], 'li.bin': [['read', 'hb/v1/+/status']] }, patterns: [] },
    ],
    ['a user named twice gets both sections', 'user a\ntopic x\nuser b\ntopic y\nuser a\ntopic z', { anonymous: [], users: { a: [['readwrite', 'x'], ['readwrite', 'z']], b: [['readwrite', 'y']] }, patterns: [] }],
    ['patterns are global even after a user line', 'user a\npattern write sensor/%u/data\npattern read dev/%c/#', { anonymous: [], users: { a: [] }, patterns: [['write', 'sensor/%u/data'], ['read', 'dev/%c/#']] }],
    ['topic with spaces after an access word', 'topic read my topic/with spaces', { anonymous: [['read', 'my topic/with spaces']], users: {}, patterns: [] }],
    ['CRLF line ends and trailing blanks', 'topic read a/b  \r\nuser u\r\ntopic deny c\r\n', { anonymous: [['read', 'a/b']], users: { u: [['deny', 'c']] }, patterns: [] }],
    ['$SYS filter as in the mosquitto example', 'topic read $SYS/#', { anonymous: [['read', '$SYS/#']], users: {}, patterns: [] }],
  ])('%s', (_name, text, expected) => {
    const acl = ok(text);
    expect({
      anonymous: plain(acl.anonymous),
      users: Object.fromEntries([...acl.users].map(([k, v]) => [k, plain(v)])),
      patterns: plain(acl.patterns),
    }).toEqual(expected);
  });

  it('keeps line numbers on rules', () => {
    const acl = ok('# header\n\ntopic read a\nuser u\n  topic write b');
    expect(acl.anonymous[0]?.line).toBe(3);
    expect(acl.users.get('u')?.[0]?.line).toBe(5);
  });

  it('parses the example shipped with Debian mosquitto', () => {
    const acl = ok('# This affects access control for clients with no username.\ntopic read $SYS/#\n\n# This only affects clients with username "roger".\nuser roger\ntopic foo/bar\n\n# This affects all clients.\npattern write $SYS/broker/connection/%c/state\n');
    expect(plain(acl.anonymous)).toEqual([['read', '$SYS/#']]);
    expect(plain(acl.users.get('roger') ?? [])).toEqual([['readwrite', 'foo/bar']]);
    expect(plain(acl.patterns)).toEqual([['write', '$SYS/broker/connection/%c/state']]);
  });
});

describe('parseAclFile: problems with line numbers', () => {
  it.each<[string, string, { line: number; message: RegExp }[]]>([
    ['unknown keyword', 'topic read a\nallow read b', [{ line: 2, message: /unknown keyword "allow"/ }]],
    ['user without a name', 'user', [{ line: 1, message: /"user" needs a username/ }]],
    ['topic without a filter', '\ntopic', [{ line: 2, message: /needs a topic filter/ }]],
    ['access word without a filter', 'topic read', [{ line: 1, message: /"topic read" needs a topic filter/ }]],
    ['# not last', 'topic read a/#/b', [{ line: 1, message: /invalid topic filter "a\/#\/b"/ }]],
    ['+ inside a level', 'pattern read a/b+', [{ line: 1, message: /invalid topic filter/ }]],
    ['substitution in a topic line', 'topic read dev/%c', [{ line: 1, message: /"%c" in a "topic" line is not substituted/ }]],
    ['substitution not a whole level', 'pattern read dev/x%u', [{ line: 1, message: /whole level, got "x%u"/ }]],
    [
      'every problem is reported, not only the first',
      'topic read a\nbogus\nuser\ntopic write x/#/y',
      [
        { line: 2, message: /unknown keyword/ },
        { line: 3, message: /needs a username/ },
        { line: 4, message: /invalid topic filter/ },
      ],
    ],
  ])('%s', (_name, text, expected) => {
    const r = parseAclFile(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(expected.length);
    r.problems.forEach((p, i) => {
      expect(p.line).toBe(expected[i]?.line);
      expect(p.message).toMatch(expected[i]?.message ?? /./);
    });
  });

  it('throws a named error naming the file and lines', () => {
    expect(() => parseAclFileOrThrow('user\nfoo', '/etc/hb/acl')).toThrow(AclParseError);
    expect(() => parseAclFileOrThrow('user\nfoo', '/etc/hb/acl')).toThrow(/^\/etc\/hb\/acl: line 1: .*; line 2: /);
  });
});
