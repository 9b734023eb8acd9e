/**
 * A jest reporter: lists the suites that skipped tests and why (the reason that
 * test/support/requires.ts writes into a skipped suite's title), so a run without
 * servers says what it did not test. With CI_REQUIRE_NO_SKIPS=1 (set by `.ci/run`,
 * where every server is configured) any skipped or todo test fails the run: a test
 * that silently stops running is how coverage is lost. Plain JS: jest loads reporters
 * without the ts-jest transform.
 */
const path = require('node:path');

const SKIP_REASON = /\[skipped: (.+)\]$/;
const SKIPPED_STATUSES = new Set(['pending', 'skipped', 'todo', 'disabled']);

class SkipReport {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.requireNoSkips = process.env.CI_REQUIRE_NO_SKIPS === '1';
    this.error = undefined;
  }

  onRunComplete(_contexts, results) {
    const suites = results.testResults.map((file) => this.skippedIn(file)).filter((suite) => suite.count > 0);
    if (suites.length === 0) {
      return;
    }
    const total = suites.reduce((sum, suite) => sum + suite.count, 0);
    const lines = suites.map((suite) => `  ${suite.file}: ${suite.count} skipped (${suite.reasons.join('; ')})`);
    const heading = `${total} test(s) skipped in ${suites.length} suite(s):`;
    if (this.requireNoSkips) {
      this.error = new Error(
        `${heading}\n${lines.join('\n')}\nCI_REQUIRE_NO_SKIPS=1: every server is configured, so nothing may be skipped.`,
      );
      process.stderr.write(`\nSkip check FAILED. ${this.error.message}\n`);
    } else {
      process.stderr.write(`\n${heading}\n${lines.join('\n')}\n`);
    }
  }

  skippedIn(file) {
    const skipped = file.testResults.filter((test) => SKIPPED_STATUSES.has(test.status));
    const reasons = new Set(skipped.map((test) => reasonOf(test)));
    return { file: path.relative(this.rootDir, file.testFilePath), count: skipped.length, reasons: [...reasons] };
  }

  getLastError() {
    return this.error;
  }
}

function reasonOf(test) {
  for (const title of test.ancestorTitles) {
    const match = SKIP_REASON.exec(title);
    if (match) {
      return match[1];
    }
  }
  return test.status === 'todo' ? 'it.todo' : 'skipped in the spec itself (.skip, .only elsewhere, or -t)';
}

module.exports = SkipReport;
