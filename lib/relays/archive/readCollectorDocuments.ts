import { parseExitList } from '../exitList';
import { RelayFormatError, type RelayReject } from '../types';
import { ConsensusHistory } from './consensusHistory';
import { ConsensusReader, ParseCaches } from './consensusReader';
import { ExitListHistory } from './exitListHistory';

// Routes each document of a batch (a tar entry, a file, a download) by its `@type` line — never by its path — to the
// consensus reader or the exit-list parser; anything else is counted and skipped. A broken document (no valid-after,
// truncated, unreadable) is reported and contributes nothing.

const MAX_EXIT_LIST_BYTES = 64 * 1024 * 1024;
const MAX_REPORTED = 1000;

export interface DocumentProblem {
  document: string;
  line: number | null;
  field: string;
  reason: string;
}

export class CollectorBatch {
  readonly consensus = new ConsensusHistory();
  readonly exits = new ExitListHistory();
  readonly caches = new ParseCaches();
  documents = 0;
  consensuses = 0;
  exitLists = 0;
  skipped = 0;
  rejected = 0;
  readonly broken: DocumentProblem[] = []; // documents refused whole
  readonly rejects: DocumentProblem[] = []; // lines skipped (first MAX_REPORTED)
  readonly skippedNames: string[] = [];

  /** Reads one document from its chunks. */
  async read(name: string, chunks: AsyncIterable<Buffer>): Promise<void> {
    this.documents++;
    const iterator = chunks[Symbol.asyncIterator]();
    let head: Buffer = Buffer.alloc(0);
    while (head.indexOf(10) < 0 && head.length < 4096) {
      const next = await iterator.next();
      if (next.done) break;
      head = head.length ? Buffer.concat([head, next.value]) : next.value;
    }
    const newline = head.indexOf(10);
    const firstLine = head
      .subarray(0, newline < 0 ? Math.min(head.length, 200) : newline)
      .toString('latin1')
      .trim();
    const rest = async function* () {
      yield head;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    };
    const type = /^@type (\S+)/.exec(firstLine)?.[1];
    if (type === 'network-status-consensus-3' || type === 'network-status-microdesc-consensus-3') {
      await this.readConsensus(name, rest(), type === 'network-status-consensus-3' ? 'ns' : 'microdesc');
    } else if (type === 'tordnsel') {
      await this.readExitList(name, rest());
    } else {
      this.skipped++;
      if (this.skippedNames.length < 20) this.skippedNames.push(name);
      for await (const _ of rest());
    }
  }

  private async readConsensus(name: string, chunks: AsyncIterable<Buffer>, flavour: 'ns' | 'microdesc') {
    const rejects: RelayReject[] = [];
    const reader = new ConsensusReader(this.consensus, flavour, rejects, this.caches);
    for await (const chunk of chunks) reader.feed(chunk);
    const outcome = reader.end();
    this.noteRejects(name, rejects, reader.rejected);
    if (outcome.ok) this.consensuses++;
    else this.broken.push({ document: name, line: null, field: 'document', reason: outcome.reason });
  }

  private async readExitList(name: string, chunks: AsyncIterable<Buffer>) {
    const parts: Buffer[] = [];
    let size = 0;
    for await (const chunk of chunks) {
      size += chunk.length;
      if (size <= MAX_EXIT_LIST_BYTES) parts.push(chunk);
    }
    if (size > MAX_EXIT_LIST_BYTES) {
      this.broken.push({ document: name, line: null, field: 'document', reason: 'an exit list larger than 64 MB' });
      return;
    }
    try {
      const document = parseExitList(Buffer.concat(parts).toString('utf8'));
      this.exits.add(document, document.publishedAt ?? new Date(0));
      this.noteRejects(name, document.rejects, document.rejectCount);
      this.exitLists++;
    } catch (error) {
      if (!(error instanceof RelayFormatError)) throw error;
      this.broken.push({ document: name, line: null, field: 'document', reason: error.message });
    }
  }

  private noteRejects(name: string, rejects: RelayReject[], count: number) {
    this.rejected += count;
    for (const reject of rejects) {
      if (this.rejects.length >= MAX_REPORTED) break;
      this.rejects.push({ document: name, ...reject });
    }
  }
}
