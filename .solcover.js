// Coverage of the production contracts (test doubles in mocks/ are left out), measured as lines and branches: the
// figures that scripts/coverageGate.ts holds to its thresholds.
//
// Statements, functions and modifiers are not measured. Each measurement is a call that the instrumenter adds to
// the code, so measuring fewer keeps every contract's code smaller, and code size is what coverage pays for here:
// PinnableCode sweeps a contract's whole code (the genesis law pins the service contracts and rules; the
// disguised-code tests sweep every deployed contract), and under coverage the in-process chain hands every EVM step
// of every call to JavaScript, so a sweep costs time and memory in proportion to the code it sweeps.
module.exports = {
  skipFiles: ["mocks/"],
  measureStatementCoverage: false,
  measureFunctionCoverage: false,
  measureModifierCoverage: false,
  istanbulReporter: ["html", "json", "text"],
  // Tests tagged @enacts-genesis-again run the deploy scripts' genesis step a second and third time (a deployment
  // cut off before it, and one completed from signature files): what they check is the scripts' TypeScript, and
  // the contract code they reach is the genesis that every other test runs on. Under coverage each costs minutes of
  // pin sweeps over instrumented code; `npm test` runs them.
  mocha: { grep: "@enacts-genesis-again", invert: true },
  // The same tests, with the time that instrumented code takes: a test that sweeps every deployed contract's code
  // takes minutes under coverage, seconds in `npm test` (hardhat.config.ts's 2 minutes hold there).
  onCompileComplete: (config) => {
    config.mocha = { ...config.mocha, timeout: 20 * 60 * 1000 };
  },
};
