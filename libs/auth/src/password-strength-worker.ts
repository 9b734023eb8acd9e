import { Worker } from 'node:worker_threads';

/** zxcvbn's verdict on one password, as the policy needs it. */
export interface StrengthReport {
  score: number;
  warning: string | null;
  suggestions: string[];
  /** Parts of the password zxcvbn matched against the user inputs (email, name). */
  personalTokens: string[];
}

/**
 * zxcvbn's options (dictionaries, keyboard graphs) take about half a second and ~65 MB
 * of RSS (a V8 isolate holding ~32 MB of dictionaries) to build, and one check takes
 * milliseconds of CPU (hundreds for a crafted 128-char input), so both happen on one
 * worker thread, never on the event loop. The thread starts with the first check and
 * exits after `idleMs` without one: a process that registers nobody does not carry the
 * dictionaries. Plain CommonJS evaluated in the thread, so it needs no build step of its
 * own; it requires the packages by resolved path. `maxLength` and `l33tMaxSubstitutions`
 * bound the worst case: a password is judged on its first 64 characters, and at most 8
 * l33t substitutions are tried.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { ZxcvbnFactory } = require(workerData.core);
const common = require(workerData.common);
const en = require(workerData.en);
const zxcvbn = new ZxcvbnFactory({
  translations: en.translations,
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...en.dictionary },
  maxLength: 64,
  l33tMaxSubstitutions: 8,
});
parentPort.on('message', ({ id, password, userInputs }) => {
  try {
    const result = zxcvbn.check(password, userInputs);
    const personalTokens = result.sequence
      .filter((match) => match.pattern === 'dictionary' && match.dictionaryName === 'userInputs')
      .map((match) => match.token);
    parentPort.postMessage({ id, report: { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions, personalTokens } });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

interface Reply {
  id: number;
  report?: StrengthReport;
  error?: string;
}

interface Pending {
  resolve(report: StrengthReport): void;
  reject(error: Error): void;
}

/** How long the thread outlives its last check; the next check after that rebuilds the options. */
export const DEFAULT_IDLE_MS = 30_000;

/** One zxcvbn thread, started on demand: checks are queued to it and answered in order. */
export class PasswordStrengthWorker {
  private worker: Worker | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly pending = new Map<number, Pending>();
  /** Threads ended for idleness: their exit must not fail the checks of the thread after them. */
  private readonly retired = new WeakSet<Worker>();
  private nextId = 0;

  constructor(private readonly idleMs = DEFAULT_IDLE_MS) {}

  /** Whether the thread is running (it is between a check and `idleMs` after the last one). */
  get running(): boolean {
    return this.worker !== null;
  }

  check(password: string, userInputs: string[]): Promise<StrengthReport> {
    this.cancelIdleExit();
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    return new Promise<StrengthReport>((resolve, reject) => {
      if (this.pending.size === 0) {
        worker.ref();
      }
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, password, userInputs });
    });
  }

  async stop(): Promise<void> {
    this.cancelIdleExit();
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  /** Called when the queue empties: the thread exits unless another check comes first. */
  private scheduleIdleExit(worker: Worker): void {
    this.cancelIdleExit();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.worker === worker && this.pending.size === 0) {
        this.worker = null;
        this.retired.add(worker);
        void worker.terminate();
      }
    }, this.idleMs);
    // A pending idle exit must not keep the process alive either.
    this.idleTimer.unref();
  }

  private cancelIdleExit(): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        core: require.resolve('@zxcvbn-ts/core'),
        common: require.resolve('@zxcvbn-ts/language-common'),
        en: require.resolve('@zxcvbn-ts/language-en'),
      },
    });
    // An idle thread must not keep the process alive (a busy one does, until it answers).
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) {
        worker.unref();
        this.scheduleIdleExit(worker);
      }
      if (reply.report) {
        pending?.resolve(reply.report);
      } else {
        pending?.reject(new Error(`password strength check failed: ${reply.error}`));
      }
    });
    // A thread that dies fails its queued checks; the next check starts a new one.
    const fail = (error: Error) => {
      if (this.retired.has(worker)) {
        return;
      }
      if (this.worker === worker) {
        this.worker = null;
      }
      for (const pending of this.pending.values()) {
        pending.reject(error);
      }
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`password strength worker exited with code ${code}`)));
    return worker;
  }
}
