// Zeek conn.log text for tests: a TSV header (with its #open stamp, which makes each file's first bytes its own) and
// numbered connection lines with unique uids.

const FIELDS = 'ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tconn_state\tlocal_orig';
const TYPES = 'time\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring\tbool';

export function zeekHeader(open: string): string {
  return (
    ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn'].join('\n') +
    `\n#open\t${open}\n#fields\t${FIELDS}\n#types\t${TYPES}\n`
  );
}

/** Lines `from` … `from + count - 1`; event i is at 1700000000 + i seconds towards 198.51.100.(i % 200). */
export function zeekTsv(from: number, count: number, respH?: string): string {
  let text = '';
  for (let i = from; i < from + count; i++)
    text += `${1_700_000_000 + i}.000001\tC${i.toString(36).padStart(10, '0')}\t10.1.${(i >> 8) & 255}.${i & 255}\t${
      40000 + (i % 20000)
    }\t${respH ?? `198.51.100.${i % 200}`}\t9001\ttcp\t-\tSF\tT\n`;
  return text;
}

export function zeekJson(from: number, count: number): string {
  let text = '';
  for (let i = from; i < from + count; i++)
    text +=
      JSON.stringify({
        ts: 1_700_000_000 + i + 0.000001,
        uid: `J${i.toString(36).padStart(10, '0')}`,
        'id.orig_h': `10.2.${(i >> 8) & 255}.${i & 255}`,
        'id.orig_p': 40000 + (i % 20000),
        'id.resp_h': `198.51.100.${i % 200}`,
        'id.resp_p': 443,
        proto: 'tcp',
        conn_state: 'SF',
        local_orig: true,
      }) + '\n';
  return text;
}
