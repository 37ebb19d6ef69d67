/** The work behind a queue: pg-boss hands it the job's data; what it returns is stored as the job's output. */
export type JobHandler = (data: Record<string, unknown>) => Promise<unknown>;

/** Handlers by queue name, each loaded when the worker starts. */
export type JobHandlers = Partial<Record<string, () => Promise<JobHandler>>>;
