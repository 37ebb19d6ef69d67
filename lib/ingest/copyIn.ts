import type pg from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';

/**
 * One `COPY … FROM STDIN` on a connection, written in blocks of COPY text with backpressure; the first error
 * PostgreSQL reports (a stream errors only once) is remembered and thrown by the next write or finish.
 */
export class CopyIn {
  private failure: Error | null = null;

  private constructor(private stream: CopyStreamQuery) {
    stream.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  static open(client: pg.PoolClient, copySql: string): CopyIn {
    return new CopyIn(client.query(copyFrom(copySql)));
  }

  /** Rows PostgreSQL stored, known once finish() returned. */
  get rowCount(): number {
    return this.stream.rowCount;
  }

  /**
   * Writes one block and waits until the socket took it. One block in flight at a time: when PostgreSQL rejects the
   * COPY, pg-copy-streams forgets the connection, and a second queued block would be flushed into nothing (a
   * TypeError on the socket's next drain, outside any promise).
   */
  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (text === '') return;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.write(text, (error) => {
        this.stream.off('error', reject);
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /** Ends the COPY and waits until PostgreSQL has taken every row. */
  async finish(): Promise<void> {
    if (this.failure) throw this.failure;
    const finished = this.settle('finish');
    this.stream.end();
    await finished;
  }

  /** Abandons the COPY (PostgreSQL gets CopyFail and the COPY statement fails; the transaction can roll back). */
  async abort(reason: Error): Promise<void> {
    if (this.failure || this.stream.writableFinished) return;
    const ended = this.settle('close').catch(() => undefined);
    this.stream.destroy(reason);
    await ended;
  }

  /** Resolves on `event`, rejects on the stream's error, whichever comes first. */
  private settle(event: 'finish' | 'close'): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        this.stream.off(event, done);
        this.stream.off('error', done);
        if (error) reject(error);
        else resolve();
      };
      this.stream.on(event, done);
      this.stream.on('error', done);
    });
  }
}
