// Prints the plain closing line 'tests: N passed, N failed, N skipped' after jest's own summary,
// so that tools reading the end of the log get the counts in one line.
export default class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `\ntests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`,
    );
  }
}
